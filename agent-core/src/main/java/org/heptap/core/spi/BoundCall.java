package org.heptap.core.spi;

import org.heptap.core.message.Message;

/**
 * One compiled call of a plan function. Returns captagent's convention: positive = true /
 * continue, negative = false / continue, 0 = stop the plan for this packet.
 */
@FunctionalInterface
public interface BoundCall {
    /**
     * What a function binds to when its work is done at bind time (it names a destination,
     * registers a timer) and it is true for every packet. The plan leaves it out of the
     * per-packet run wherever that changes no value: the compiled list runs one call less.
     */
    BoundCall ALWAYS_TRUE = message -> 1;

    int invoke(Message message);
}
