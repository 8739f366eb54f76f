package org.heptap.ring;

import org.heptap.core.capture.Frame;

/** A frame's capture time as the ring keeps it: nanoseconds, and whether they are real. */
final class FrameTime {
    private FrameTime() {}

    static long nanos(Frame f) {
        return f.timestampNanos;
    }

    static boolean isNanos(Frame f) {
        return f.nanosecondTime;
    }
}
