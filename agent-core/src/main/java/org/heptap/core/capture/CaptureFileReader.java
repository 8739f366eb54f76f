package org.heptap.core.capture;

import java.io.IOException;

/** One capture file format: turns the records in a {@link CaptureFileBuffer} into frames. */
interface CaptureFileReader {
    /**
     * Fills {@code frame} with the next record and returns {@link PacketSource#PACKET}, or returns
     * {@link PacketSource#END} at the end of the file or at damage that loses the record framing
     * (reported to the problems log). Throws only for I/O errors of the underlying channel.
     */
    int next(Frame frame) throws IOException;

    /** Format for logs, e.g. {@code pcap, nanosecond timestamps, link type 1 (Ethernet)}. */
    String describe();
}
