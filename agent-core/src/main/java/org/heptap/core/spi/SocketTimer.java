package org.heptap.core.spi;

/**
 * Work a bound plan function does between packets, never at the same time as its socket's
 * packets (so it may touch the state its per-packet calls keep without locking of its own): a
 * module that aggregates packets (media statistics, say) reports on a schedule and when input
 * ends, even while no packet arrives. A function asks for it while binding
 * ({@link BindContext#addTimer}). It runs on the socket's thread, or, in live capture while the
 * socket waits for packets, on the agent's live clock thread, taking turns with the socket's
 * frames (happens-before both ways).
 *
 * <p>Time is the socket's clock in microseconds since the epoch: the capture time of the packets
 * in a replay (so a file behaves like the traffic it recorded, however fast it is read), and in
 * live capture the packets' time and, between packets, wall time every 100 ms. The clock never
 * goes back. Capture sockets only: collector sockets run no timers.
 */
public interface SocketTimer {
    /** Called once the socket's clock reached the next multiple of the period asked for. */
    void tick(long nowMicros);

    /**
     * No more input: the end of a replayed file (each pass), or the agent stopping. Called once
     * per end, after the last packet; the work done here (final reports) is sent before the
     * agent drains its transports.
     */
    void endOfInput(long nowMicros);
}
