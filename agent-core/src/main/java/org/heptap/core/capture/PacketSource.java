package org.heptap.core.capture;

import java.io.IOException;

/** A live interface or a capture file, read one frame at a time into a reused {@link Frame}. */
public interface PacketSource extends AutoCloseable {
    int PACKET = 1;
    int TIMEOUT = 0;
    int END = -1;

    /**
     * Reads the next frame into {@code frame}. Returns {@link #PACKET}, {@link #TIMEOUT} (live
     * capture: nothing arrived within the read timeout) or {@link #END} (end of file, or the source
     * was closed).
     */
    int next(Frame frame) throws IOException;

    /** Frames received and dropped as the kernel/libpcap counts them (files: read, 0). */
    CaptureStats stats();

    /** Human description for logs, e.g. {@code interface lo, filter "udp portrange 8000-8090"}. */
    String describe();

    @Override
    void close();
}
