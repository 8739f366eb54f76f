package org.heptap.ring;

import java.io.IOException;

/** Sees the ring's records in capture order ({@link RingStore#scan}); the bytes are valid during the call only. */
@FunctionalInterface
interface RecordVisitor {
    /**
     * @param timeNanos  capture time, nanoseconds since the epoch
     * @param flags      {@link RingStore#FLAG_NANOS}, {@link RingStore#FLAG_SIGNALLING}
     * @param linkType   the frame's link type (LINKTYPE_*)
     * @param wireLength the frame's length on the wire
     * @param call       the call number the recorder gave it
     */
    void record(long timeNanos, int flags, int linkType, int wireLength, long call, byte[] buf, int off, int length)
            throws IOException;
}
