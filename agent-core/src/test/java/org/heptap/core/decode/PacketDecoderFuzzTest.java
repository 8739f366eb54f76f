package org.heptap.core.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.heptap.core.capture.Frame;
import org.heptap.core.message.Message;

/**
 * Arbitrary bytes under every link type: the decoder must return a result, never throw, and
 * never look outside the frame (the frame's buffer is exactly as long as the input, so a read
 * past the end throws).
 *
 * <p>Input layout: byte 0 picks the link type (modulo 11) and how many bytes the snaplen cut
 * (quotient × 64), the rest is the frame. Seeds are in
 * {@code src/test/resources/org/heptap/core/decode/PacketDecoderFuzzTestInputs/decodeArbitraryFrame/}.
 * Fuzzing: {@code JAZZER_FUZZ=1 mvn -pl agent-core test -Dtest=PacketDecoderFuzzTest
 * -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=60}.
 */
class PacketDecoderFuzzTest {
    private static final int[] LINK_TYPES = {1, 113, 276, 101, 12, 14, 0, 108, 228, 229, 147};

    private static final PacketDecoder DECODER = new PacketDecoder();
    private static final Message MSG = new Message();
    /** Reused: a fresh Frame would allocate its 64 KiB default buffer per input. */
    private static final Frame FRAME = new Frame();

    @FuzzTest(maxDuration = "10s")
    void decodeArbitraryFrame(byte[] input) {
        if (input.length == 0) return;
        Frame f = FRAME;
        // lent in place behind the selector byte, as a capture file's reader lends its frames
        f.view(input, 1, input.length - 1);
        int selector = input[0] & 0xff;
        f.linkType = LINK_TYPES[selector % LINK_TYPES.length];
        // the rest of byte 0 says how much longer the frame was on the wire (snaplen cut)
        f.wireLength = f.length + (selector / LINK_TYPES.length) * 64;
        int[] calls = new int[1];
        DecodeResult r = DECODER.decode(f, MSG, m -> {
            calls[0]++;
            assertSame(f.data, m.payload());
            assertTrue(
                    m.payloadOffset() >= f.offset
                            && m.payloadLength() > 0
                            && m.payloadOffset() + m.payloadLength() <= f.offset + f.length,
                    "payload inside the frame");
            assertTrue(m.ipVersion() == 4 || m.ipVersion() == 6);
            assertTrue(m.ipProtocol() == Message.IP_PROTO_UDP || m.ipProtocol() == Message.IP_PROTO_TCP);
            assertTrue(m.vlan() >= -1 && m.vlan() <= 4095);
        });
        assertEquals(r == DecodeResult.DELIVERED ? 1 : 0, calls[0], r.toString());
    }
}
