package org.heptap.core.collector;

import org.heptap.core.config.SocketSettings;
import org.heptap.core.decode.DecodeResult;
import org.heptap.core.message.Message;

/**
 * The socket pipeline as a collector socket feeds it: every call but {@link #recordKernelDrops}
 * on the socket's plan thread, which owns the pipeline's reusable message.
 */
public interface CollectedMessages {
    SocketSettings settings();

    /** The pipeline's reusable message, to fill in. */
    Message message();

    /** A received message (addresses, payload, reply channel set): counted, then through the plan. */
    void planCollected(Message m);

    /** A received record that yields no message (its format did not understand or refused it): counted. */
    void collectedUndecoded(DecodeResult r);

    /**
     * The socket's arrivals beyond what reached the pipeline (any thread): what the kernel
     * dropped ({@code kernelDropped}, its receive buffer full) and what was received but not
     * handed to the plan ({@code notDelivered}).
     */
    void recordKernelDrops(long kernelDropped, long notDelivered);
}
