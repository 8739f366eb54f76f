package org.heptap.core.spi;

import org.heptap.core.message.Message;

/**
 * One compiled call of a plan function. Returns captagent's convention: positive = true /
 * continue, negative = false / continue, 0 = stop the plan for this packet.
 */
@FunctionalInterface
public interface BoundCall {
    int invoke(Message message);
}
