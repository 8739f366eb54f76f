package org.heptap.core.spi;

import org.heptap.core.message.Message;

/**
 * A yes/no question about one message, asked on the capture thread for every message of a socket
 * (a discard list, {@link DiscardList}). It must answer from the message's bytes without
 * allocating, never throw, and keep no state between messages.
 */
@FunctionalInterface
public interface MessageFilter {
    boolean matches(Message message);
}
