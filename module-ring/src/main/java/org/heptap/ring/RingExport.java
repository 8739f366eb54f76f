package org.heptap.ring;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.heptap.pcap.PcapFileWriter;

/** Writes the ring's records of some calls as a pcap file, in capture order, frames and times as kept. */
final class RingExport {
    /** Link type of an export that found no frame (the header must name one). */
    private static final int ETHERNET = 1;

    /**
     * @param frames        frames written
     * @param otherLinkType frames left out because their link type differs from the first one's
     */
    record Result(long frames, long otherLinkType) {}

    private RingExport() {}

    /**
     * The records of {@code calls} (sorted call numbers): signalling always, media when
     * {@code media}. Nanosecond pcap when the ring has held nanosecond times, else microseconds.
     */
    static Result write(RingStore store, long[] calls, boolean media, OutputStream out) throws IOException {
        boolean nanos = store.anyNanos();
        PcapFileWriter[] writer = {null};
        long[] counts = new long[2];
        store.scan((time, flags, linkType, wireLength, call, buf, off, length) -> {
            if (Arrays.binarySearch(calls, call) < 0) return;
            if (!media && (flags & RingStore.FLAG_SIGNALLING) == 0) return;
            if (writer[0] == null) writer[0] = new PcapFileWriter(out, linkType, nanos);
            if (writer[0].linkType() != linkType) {
                counts[1]++;
                return;
            }
            writer[0].write(time, buf, off, length, wireLength);
            counts[0]++;
        });
        if (writer[0] == null) new PcapFileWriter(out, ETHERNET, nanos);
        return new Result(counts[0], counts[1]);
    }
}
