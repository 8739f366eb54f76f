package org.heptap.core.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.PacketSource;
import org.heptap.core.capture.PcapFileSource;
import org.heptap.core.capture.TestCorpus;
import org.heptap.core.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads corpus captures with {@link PcapFileSource}, decodes them and checks against tshark's view. */
class CorpusDecodeTest {

    /** What the sink saw for one frame. */
    record Seen(
            DecodeResult result,
            String src,
            String dst,
            int sport,
            int dport,
            long tsMicros,
            int ipVersion,
            int vlan,
            int length,
            String sha256) {}

    static List<Seen> decodeAll(String capture) throws IOException {
        List<Seen> out = new ArrayList<>();
        PacketDecoder decoder = new PacketDecoder();
        Message msg = new Message();
        Seen[] last = new Seen[1];
        try (PcapFileSource src = PcapFileSource.open(TestCorpus.file(capture))) {
            Frame f = new Frame();
            while (src.next(f) == PacketSource.PACKET) {
                last[0] = null;
                DecodeResult r = decoder.decode(
                        f,
                        msg,
                        m -> last[0] = new Seen(
                                DecodeResult.DELIVERED,
                                m.srcIpText(),
                                m.dstIpText(),
                                m.srcPort(),
                                m.dstPort(),
                                m.timestampMicros(),
                                m.ipVersion(),
                                m.vlan(),
                                m.payloadLength(),
                                sha256(m.payload(), m.payloadOffset(), m.payloadLength())));
                out.add(r == DecodeResult.DELIVERED ? last[0] : new Seen(r, null, null, 0, 0, 0, 0, 0, 0, null));
            }
            assertEquals(0, src.problemCount(), src.lastProblem());
        }
        assertEquals(out.size(), out.stream().filter(s -> s != null).count(), "every delivery reached the sink");
        return out;
    }

    static String sha256(byte[] b, int off, int len) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(b, off, len);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sip-udp-v4.pcap",
                "sip-udp-v6.pcap",
                "sip-vlan.pcap",
                "sip-qinq.pcap",
                "sip-sll.pcap",
                "sip-sll2.pcap",
                "sip-udp-nsec.pcap",
                "sip-udp.pcapng",
                "sip-compact.pcap",
                "sip-methods.pcap",
                "aaa.pcap"
            })
    void sip_over_udp_matches_the_expectation(String capture) throws IOException {
        List<Seen> seen = decodeAll(capture);
        assertEquals(TestCorpus.asLong(TestCorpus.manifest(capture).get("frames")), seen.size(), "frames");
        List<Map<String, Object>> expected = TestCorpus.expected(capture);
        assertTrue(expected.size() > 0);
        int checked = 0;
        for (Map<String, Object> e : expected) {
            if (e.get("udp_payload_sha256") == null) continue;
            int frame = ((Number) e.get("frame")).intValue();
            Seen s = seen.get(frame - 1);
            String where = capture + " frame " + frame;
            assertEquals(DecodeResult.DELIVERED, s.result(), where);
            assertEquals(e.get("src_ip"), s.src(), where);
            assertEquals(e.get("dst_ip"), s.dst(), where);
            assertEquals(((Number) e.get("src_port")).intValue(), s.sport(), where);
            assertEquals(((Number) e.get("dst_port")).intValue(), s.dport(), where);
            assertEquals(TestCorpus.asLong(e.get("ts_us")), s.tsMicros(), where);
            assertEquals(((Number) e.get("udp_payload_len")).intValue(), s.length(), where);
            assertEquals(e.get("udp_payload_sha256"), s.sha256(), where);
            if (capture.equals("sip-vlan.pcap") || capture.equals("sip-qinq.pcap")) {
                assertEquals(100, s.vlan(), where + " innermost VLAN");
            } else {
                assertEquals(-1, s.vlan(), where);
            }
            checked++;
        }
        assertEquals(
                TestCorpus.asLong(TestCorpus.manifest(capture).get("sip_messages")), checked, "SIP messages checked");
    }

    @Test
    void malformed_pcap_delivers_the_valid_frames_and_counts_the_rest() throws IOException {
        List<Seen> seen = decodeAll("malformed.pcap");
        List<DecodeResult> expected = List.of(
                DecodeResult.DELIVERED, // 1 valid OPTIONS
                DecodeResult.DELIVERED, // 2 captured 120 of 1242 bytes: the 78 captured payload bytes
                DecodeResult.TRUNCATED, // 3 10-byte frame
                DecodeResult.MALFORMED, // 4 UDP length 500 over the datagram
                DecodeResult.MALFORMED, // 5 IHL 3
                DecodeResult.DELIVERED, // 6 valid 200 OK
                DecodeResult.NO_PAYLOAD, // 7 empty UDP
                DecodeResult.DELIVERED, // 8 random bytes: not the decoder's business
                DecodeResult.DELIVERED, // 9 request line only
                DecodeResult.DELIVERED, // 10 bad Content-Length
                DecodeResult.DELIVERED, // 11 headers without colon
                DecodeResult.DELIVERED, // 12 non-UTF-8
                DecodeResult.DELIVERED, // 13 valid MESSAGE
                DecodeResult.MALFORMED, // 14 TCP data offset 2
                DecodeResult.UNSUPPORTED_PROTOCOL, // 15 IPv6 next header 253
                DecodeResult.MALFORMED, // 16 UDP length 4
                DecodeResult.MALFORMED, // 17 IPv4 total length 16
                DecodeResult.DELIVERED, // 18 status line only
                DecodeResult.DELIVERED, // 19 CRLFCRLF
                DecodeResult.DELIVERED); // 20 valid 200 OK
        assertEquals(expected, seen.stream().map(Seen::result).toList());
        for (Map<String, Object> e : TestCorpus.expected("malformed.pcap")) {
            int frame = ((Number) e.get("frame")).intValue();
            // tshark shows frame 4 although its UDP length exceeds the IP packet; heptap refuses it
            if (frame == 4 || e.get("udp_payload_sha256") == null) continue;
            Seen s = seen.get(frame - 1);
            assertEquals(e.get("udp_payload_sha256"), s.sha256(), "frame " + frame);
            assertEquals(TestCorpus.asLong(e.get("ts_us")), s.tsMicros(), "frame " + frame);
        }
        assertEquals(78, seen.get(1).length());
    }

    @Test
    void other_captures_decode_without_surprises() throws IOException {
        // tunnels, TCP and fragments are later issues: here only "no exception, every frame counted"
        for (Map<String, Object> c : TestCorpus.captures()) {
            String file = (String) c.get("file");
            List<Seen> seen = decodeAll(file);
            assertEquals(TestCorpus.asLong(c.get("frames")), seen.size(), file);
        }
        List<Seen> frag = decodeAll("sip-ipv4-frag.pcap");
        assertEquals(
                8,
                frag.stream().filter(s -> s.result() == DecodeResult.FRAGMENT).count());
        List<Seen> frag6 = decodeAll("sip-ipv6-frag.pcap");
        assertEquals(
                8,
                frag6.stream().filter(s -> s.result() == DecodeResult.FRAGMENT).count());
        List<Seen> tcp = decodeAll("sip-tcp.pcap");
        assertTrue(tcp.stream().anyMatch(s -> s.result() == DecodeResult.NO_PAYLOAD), "handshake/ACKs");
        // every SIP message of sip-tcp.pcap sits in a segment of its own (MANIFEST: no frame with
        // several messages), and only those segments carry payload: delivered = MANIFEST's sip_frames
        List<Long> delivered = new ArrayList<>();
        for (int i = 0; i < tcp.size(); i++) if (tcp.get(i).result() == DecodeResult.DELIVERED) delivered.add(i + 1L);
        List<Long> sipFrames = new ArrayList<>();
        for (Object n : (List<?>) TestCorpus.manifest("sip-tcp.pcap").get("sip_frames"))
            sipFrames.add(TestCorpus.asLong(n));
        assertEquals(70, sipFrames.size(), "MANIFEST: sip-tcp.pcap holds 70 SIP messages");
        assertEquals(sipFrames, delivered, "frames of sip-tcp.pcap delivered with a payload");
    }

    @Test
    void decoding_allocates_nothing_per_frame() throws IOException {
        // frames of several link types and encapsulations, decoded over and over
        List<Frame> frames = new ArrayList<>();
        for (String file : List.of(
                "sip-udp-v4.pcap",
                "sip-udp-v6.pcap",
                "sip-qinq.pcap",
                "sip-sll2.pcap",
                "malformed.pcap",
                "sip-tcp.pcap",
                "sip-ipv6-frag.pcap")) {
            try (PcapFileSource src = PcapFileSource.open(TestCorpus.file(file))) {
                Frame f = new Frame();
                while (src.next(f) == PacketSource.PACKET) {
                    Frame copy = new Frame();
                    copy.data = java.util.Arrays.copyOfRange(f.data, f.offset, f.offset + f.length);
                    copy.length = f.length;
                    copy.linkType = f.linkType;
                    copy.timestampMicros = f.timestampMicros;
                    frames.add(copy);
                }
            }
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        PacketDecoder decoder = new PacketDecoder();
        Message msg = new Message();
        long[] sum = new long[1];
        org.heptap.core.spi.MessageSink sink = m -> sum[0] += m.payloadLength();
        for (int round = 0; round < 200; round++) {
            for (Frame f : frames) decoder.decode(f, msg, sink); // warm up: JIT
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        int n = 0;
        for (int round = 0; round < 200; round++) {
            for (Frame f : frames) {
                decoder.decode(f, msg, sink);
                n++;
            }
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertNotNull(decoder.stats());
        assertTrue(allocated < 16_384, allocated + " bytes allocated decoding " + n + " frames");
    }
}
