package org.heptap.ring;

import java.nio.file.Path;

/**
 * A run of records in capture order: a buffer of the ring's memory while it is the newest, then
 * (when memory runs short and the ring may spill) a file in the spill directory. Records are
 * {@link RingStore#HEADER} bytes of header, then the frame.
 */
final class Segment {
    final long number;
    /** The records while in memory; null once the buffer went back to the pool. */
    byte[] buf;
    /** The spill file once written; null while only in memory. */
    Path file;
    /** Bytes of whole records, published to readers by the volatile write. */
    volatile int committed;
    /** Capture time (ns) of the first and last record. */
    long firstTime = Long.MAX_VALUE;

    volatile long lastTime = Long.MIN_VALUE;
    /** Calls whose first record is here: evicting the segment evicts them. */
    int callsStarted;

    int frames;

    Segment(long number, byte[] buf) {
        this.number = number;
        this.buf = buf;
    }

    boolean inMemory() {
        return buf != null;
    }
}
