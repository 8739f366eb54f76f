package org.heptap.ring;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A run of records in capture order: a buffer of the ring's memory while it is the newest, then
 * (when memory runs short and the ring may spill) a file in the spill directory. Records are
 * {@link RingStore#HEADER} bytes of header, then the frame, padded to 4 bytes.
 *
 * <p>Writers on several threads fill the newest segment at once: each reserves its record's bytes
 * ({@link #reserved}), writes them and publishes the record by its length field, last; the writer
 * whose reservation crosses the end seals the segment ({@link #end}). The keeper touches a sealed
 * segment once every reserved record is written ({@link #written}).
 */
final class Segment {
    final long number;
    /** The records while in memory; null once the buffer went back to the pool. */
    volatile byte[] buf;
    /** The spill file once written; null while only in memory. */
    volatile Path file;
    /** Bytes handed out to writers (beyond the buffer's size once it is full). */
    final AtomicInteger reserved = new AtomicInteger();
    /** Bytes of records written and published. */
    final AtomicInteger written = new AtomicInteger();
    /** Bytes of records once sealed; -1 while writers fill it. */
    volatile int end = -1;

    /** Summary of the records, made by the keeper once the segment is sealed and written. */
    volatile boolean summarised;
    /** Capture time (ns) of the first and last record. */
    long firstTime = Long.MAX_VALUE;

    long lastTime = Long.MIN_VALUE;
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

    /** Sealed, and every record reserved in it written. */
    boolean complete() {
        int e = end;
        return e >= 0 && written.get() == e;
    }
}
