package org.heptap.core.capture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;

/**
 * Arbitrary file contents: opening may refuse them with an IOException (not a capture file), but
 * reading must end with END, without an exception and without looping. A tiny read window makes
 * every record cross refills and growth.
 *
 * <p>Seeds: {@code src/test/resources/org/heptap/core/capture/PcapFileSourceFuzzTestInputs/readArbitraryFile/}.
 */
class PcapFileSourceFuzzTest {
    /** Reused: a fresh Frame would allocate its 64 KiB default buffer per input. */
    private static final Frame FRAME = new Frame();

    @FuzzTest(maxDuration = "10s")
    void readArbitraryFile(byte[] input) throws IOException {
        PcapFileSource src;
        try {
            src = PcapFileSource.open(
                    Channels.newChannel(new ByteArrayInputStream(input)), "fuzz", ReplayPacer.max(), 64);
        } catch (IOException refused) {
            return;
        }
        try (src) {
            Frame f = FRAME;
            long frames = 0;
            while (src.next(f) == PacketSource.PACKET) {
                assertTrue(f.length >= 0 && f.offset >= 0 && f.offset + f.length <= f.data.length);
                // every record costs at least 12 bytes of file (a pcapng simple packet block)
                assertTrue(++frames <= input.length / 12, "more frames than the file can hold");
            }
            assertTrue(src.stats().received() == frames);
        }
    }
}
