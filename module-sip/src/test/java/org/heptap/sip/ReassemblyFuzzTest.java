package org.heptap.sip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.heptap.core.capture.Frame;
import org.heptap.core.config.PortRange;
import org.heptap.core.decode.DecodeOptions;
import org.heptap.core.decode.PacketDecoder;
import org.heptap.core.decode.tcp.TcpOptions;
import org.heptap.core.decode.tcp.TcpReassembler;
import org.heptap.core.decode.tcp.WebSocketFramer;
import org.heptap.core.message.Message;
import org.junit.jupiter.api.Test;

/**
 * Sequences of arbitrary frames through everything that keeps state across packets: IP fragment
 * reassembly, decapsulation (IP-in-IP, GRE/ERSPAN, VXLAN, HP ERM), duplicate suppression, TCP
 * reassembly with this module's SIP framer and WebSocket framing on port 8080. Nothing may
 * throw; every message delivered must lie inside its buffer; messages framed from one TCP flow
 * must carry strictly increasing timestamps, never earlier than the segment that completed them.
 * Bounds are tiny so that eviction and expiry run often.
 *
 * <p>Input layout: byte 0 picks the link type (Ethernet, raw IP, Linux SLL); then records of
 * [u16 time step in ms][u16 length][frame bytes], at most 64 frames. Seeds (hand-made) are in
 * {@code src/test/resources/org/heptap/sip/ReassemblyFuzzTestInputs/reassembleArbitraryFrames/}.
 * Fuzzing: {@code bin/fuzz 60 module-sip:org.heptap.sip.ReassemblyFuzzTest}.
 */
class ReassemblyFuzzTest {
    private static final int[] LINK_TYPES = {1, 101, 113};
    private static final DecodeOptions DECODE =
            new DecodeOptions(true, 8, 64 << 10, 30_000_000L, true, true, 2_000_000L);
    private static final TcpOptions TCP =
            new TcpOptions(true, 8, 64 << 10, 4096, 60_000_000L, "sip", List.of(new PortRange(8080, 8080)));
    private static final Frame FRAME = new Frame();

    @FuzzTest(maxDuration = "10s")
    void reassembleArbitraryFrames(byte[] input) {
        run(input);
    }

    /** Every hand-made seed gets through its layers: a seed that delivers nothing seeds nothing. */
    @Test
    void every_seed_delivers_sip() throws Exception {
        Path dir = Path.of("src/test/resources/org/heptap/sip/ReassemblyFuzzTestInputs/reassembleArbitraryFrames");
        List<Path> seeds;
        try (Stream<Path> files = Files.list(dir)) {
            seeds = files.sorted().toList();
        }
        assertTrue(seeds.size() >= 8, seeds::toString);
        for (Path seed : seeds) {
            int delivered = run(Files.readAllBytes(seed));
            assertTrue(delivered > 0, seed.getFileName() + " delivered no SIP message");
        }
    }

    /** Runs one input; returns how many messages reached the plan (UDP datagrams and framed TCP messages). */
    private static int run(byte[] input) {
        if (input.length == 0) return 0;
        int[] delivered = {0};
        // fresh state per input: what one input leaves behind must not decide the next one's fate
        PacketDecoder decoder = new PacketDecoder(DECODE);
        TcpReassembler tcp = new TcpReassembler(TCP, new SipStreamFramer(), new WebSocketFramer());
        Message msg = new Message();
        Map<String, Long> lastTs = new HashMap<>();
        Map<String, Long> counters = new HashMap<>();
        long[] flowsForgotten = {0};
        long[] segmentTs = {0};
        int linkType = LINK_TYPES[(input[0] & 0xff) % LINK_TYPES.length];
        long now = 1_700_000_000_000_000L;
        int pos = 1;
        for (int frames = 0; frames < 64 && pos + 4 <= input.length; frames++) {
            now += u16(input, pos) * 1000L;
            int len = Math.min(u16(input, pos + 2), input.length - pos - 4);
            pos += 4;
            Frame f = FRAME;
            f.data = Arrays.copyOfRange(input, pos, pos + len);
            f.length = len;
            f.wireLength = len;
            f.linkType = linkType;
            f.timestampMicros = now;
            pos += len;
            decoder.decode(f, msg, m -> {
                checkInside(m);
                assertTrue(m.ipVersion() == 4 || m.ipVersion() == 6);
                if (m.ipProtocol() != Message.IP_PROTO_TCP) {
                    delivered[0]++;
                    return;
                }
                segmentTs[0] = m.timestampMicros();
                tcp.accept(m, framed -> {
                    checkInside(framed);
                    delivered[0]++;
                    long forgotten = forgotten(tcp, counters);
                    if (forgotten != flowsForgotten[0]) {
                        // an evicted or expired flow that comes back is a new flow
                        flowsForgotten[0] = forgotten;
                        lastTs.clear();
                    }
                    long ts = framed.timestampMicros();
                    assertTrue(ts >= segmentTs[0], "never earlier than the segment that completed it");
                    String flow = framed.srcIpText() + ":" + framed.srcPort() + ">" + framed.dstIpText() + ":"
                            + framed.dstPort();
                    Long before = lastTs.put(flow, ts);
                    assertTrue(
                            before == null || ts > before,
                            () -> "timestamps strictly increase within a flow: " + flow + " had " + before + ", then "
                                    + ts + " (segment " + segmentTs[0] + ", seq " + m.tcpSequence() + ")");
                });
                // FIN/RST end the flow (after what the segment completes): a new one on the same ports starts over
                if ((m.tcpFlags() & 0x05) != 0) lastTs.clear();
            });
        }
        return delivered[0];
    }

    private static void checkInside(Message m) {
        byte[] p = m.payload();
        assertTrue(
                p != null
                        && m.payloadOffset() >= 0
                        && m.payloadLength() > 0
                        && m.payloadOffset() + m.payloadLength() <= p.length,
                "payload inside its buffer");
    }

    private static long forgotten(TcpReassembler tcp, Map<String, Long> c) {
        tcp.addCounters(c);
        return c.get("tcp-flows-evicted") + c.get("tcp-flows-evicted-bytes") + c.get("tcp-flows-expired");
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }
}
