package org.heptap.core.spi;

import org.heptap.core.message.Message;

/** Receives each message a decoder produces (one frame may yield none, one or several). */
@FunctionalInterface
public interface MessageSink {
    void accept(Message message);
}
