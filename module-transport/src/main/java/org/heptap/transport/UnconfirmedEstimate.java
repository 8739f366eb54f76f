package org.heptap.transport;

/**
 * How many packets a stream connection that died may have swallowed. TCP cannot say whether
 * what was written to a connection that then died arrived; what may not have is at most what
 * still fitted in the socket send buffer: the last packets written, up to its size. Event loop
 * only, except {@link #total()}.
 */
final class UnconfirmedEstimate {
    /** Sizes of the last packets written, newest last. */
    private static final int RECENT = 8192;

    private final int[] recentSizes = new int[RECENT];
    private int recentNext;
    private int recentCount;
    private int sendBufferBytes;
    private long writtenOnConnection;
    private long lastAtRiskBytes;
    private volatile long total;

    /** A new connection with a send buffer of this many bytes (0 when unknown). */
    void connected(int sendBufferBytes) {
        this.sendBufferBytes = sendBufferBytes;
        writtenOnConnection = 0;
        recentCount = 0;
    }

    /** A packet of {@code size} bytes was written to the connection. */
    void written(int size) {
        writtenOnConnection++;
        recentSizes[recentNext] = size;
        recentNext = (recentNext + 1) % RECENT;
        if (recentCount < RECENT) recentCount++;
    }

    /** The connection died: the packets at risk (counted into {@link #total()}); their bytes in {@link #lastAtRiskBytes()}. */
    long connectionLost() {
        long atRisk = 0;
        long atRiskBytes = 0;
        for (int i = 0; i < recentCount; i++) {
            int size = recentSizes[(recentNext - 1 - i + RECENT) % RECENT];
            if (atRiskBytes + size > sendBufferBytes && atRisk > 0) break;
            atRisk++;
            atRiskBytes += size;
        }
        lastAtRiskBytes = atRiskBytes;
        total += atRisk;
        return atRisk;
    }

    long lastAtRiskBytes() {
        return lastAtRiskBytes;
    }

    /** Packets written to the current (or the last) connection. */
    long writtenOnConnection() {
        return writtenOnConnection;
    }

    /** Packets at risk over every connection lost so far (the {@code unconfirmed} counter). */
    long total() {
        return total;
    }
}
