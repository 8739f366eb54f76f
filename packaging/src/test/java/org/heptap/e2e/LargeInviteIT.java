package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large messages are never truncated (issue 4, acceptance 7): a 20 KB SIP INVITE sent over TCP
 * in 15 segments (a capture this test writes) is reassembled by heptap and reaches hep-sink over
 * TCP as one HEP packet, byte-identical (sha256).
 */
@Offline
class LargeInviteIT {
    private static final byte[] CLIENT = {10, 0, 0, 1};
    private static final byte[] SERVER = {10, 0, 0, 2};
    private static final int CLIENT_PORT = 40123;
    private static final int SERVER_PORT = 5060;
    private static final int MSS = 1400;

    static byte[] invite() {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0 8 101\r\n");
        for (int i = 0; sdp.length() < 20_000; i++) {
            sdp.append("a=x-large-")
                    .append(i)
                    .append(":")
                    .append("0123456789abcdef".repeat(4))
                    .append("\r\n");
        }
        byte[] body = sdp.toString().getBytes(StandardCharsets.US_ASCII);
        String head = "INVITE sip:bob@10.0.0.2 SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 10.0.0.1:" + CLIENT_PORT + ";branch=z9hG4bK-large-1\r\n"
                + "From: <sip:alice@10.0.0.1>;tag=large1\r\nTo: <sip:bob@10.0.0.2>\r\n"
                + "Call-ID: large-invite-20k@heptap.test\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@10.0.0.1:"
                + CLIENT_PORT + ";transport=tcp>\r\n"
                + "Max-Forwards: 70\r\nContent-Type: application/sdp\r\nContent-Length: " + body.length + "\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A classic pcap (Ethernet) of one TCP connection carrying {@code sip} in MSS-sized segments. */
    static void writeCapture(Path file, byte[] sip) throws Exception {
        ByteArrayOutputStream pcap = new ByteArrayOutputStream();
        ByteBuffer gh = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        gh.putInt(0xa1b2c3d4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(65535)
                .putInt(1);
        pcap.writeBytes(gh.array());
        long cseq = 1000, sseq = 5000;
        int t = 0;
        frame(pcap, t++, true, cseq, 0, 0x02, new byte[0]); // SYN
        frame(pcap, t++, false, sseq, cseq + 1, 0x12, new byte[0]); // SYN-ACK
        cseq++;
        sseq++;
        frame(pcap, t++, true, cseq, sseq, 0x10, new byte[0]); // ACK
        for (int off = 0; off < sip.length; off += MSS) {
            int n = Math.min(MSS, sip.length - off);
            byte[] seg = java.util.Arrays.copyOfRange(sip, off, off + n);
            frame(pcap, t++, true, cseq, sseq, 0x18, seg); // PSH+ACK
            cseq += n;
        }
        frame(pcap, t++, false, sseq, cseq, 0x10, new byte[0]); // ACK of everything
        frame(pcap, t++, true, cseq, sseq, 0x11, new byte[0]); // FIN
        frame(pcap, t, false, sseq, cseq + 1, 0x11, new byte[0]); // FIN
        Files.write(file, pcap.toByteArray());
    }

    private static void frame(
            ByteArrayOutputStream pcap, int tick, boolean fromClient, long seq, long ack, int flags, byte[] data) {
        int ipLen = 20 + 20 + data.length;
        ByteBuffer f = ByteBuffer.allocate(14 + ipLen);
        f.put(new byte[] {0, 0, 0, 0, 0, 2}).put(new byte[] {0, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        int ip = f.position();
        f.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) ipLen)
                .putShort((short) tick)
                .putShort((short) 0x4000)
                .put((byte) 64)
                .put((byte) 6)
                .putShort((short) 0)
                .put(fromClient ? CLIENT : SERVER)
                .put(fromClient ? SERVER : CLIENT);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) sum += (f.get(ip + i) & 0xff) << 8 | (f.get(ip + i + 1) & 0xff);
        while (sum >> 16 != 0) sum = (sum & 0xffff) + (sum >> 16);
        f.putShort(ip + 10, (short) ~sum);
        f.putShort((short) (fromClient ? CLIENT_PORT : SERVER_PORT))
                .putShort((short) (fromClient ? SERVER_PORT : CLIENT_PORT))
                .putInt((int) seq)
                .putInt((int) ack)
                .put((byte) 0x50)
                .put((byte) flags)
                .putShort((short) 65535)
                .putShort((short) 0)
                .putShort((short) 0)
                .put(data);
        ByteBuffer rh = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        rh.putInt(1_700_000_000).putInt(tick * 1000).putInt(f.capacity()).putInt(f.capacity());
        pcap.writeBytes(rh.array());
        pcap.writeBytes(f.array());
    }

    @Test
    void a_20k_invite_over_tcp_reaches_hep_sink_over_tcp_byte_identical(@TempDir Path dir) throws Exception {
        byte[] sip = invite();
        assertTrue(sip.length > 20_000 && sip.length < 21_000, "a 20 KB INVITE: " + sip.length);
        Path capture = dir.resolve("large-invite-tcp.pcap");
        writeCapture(capture, sip);
        List<JsonNode> got;
        try (HepSink sink = HepSink.startTcp(0)) {
            Proc agent = Proc.run(
                    Duration.ofSeconds(60),
                    List.of(
                            Env.heptap().toString(),
                            "-r",
                            capture.toString(),
                            "-m",
                            "sip",
                            "-H",
                            "tcp:127.0.0.1:" + sink.udpPort));
            assertEquals(0, agent.exitCode(), agent.stderr());
            got = sink.stopAndRead();
            assertEquals(1, got.size(), "one HEP packet for the INVITE: " + got + "\n" + agent.stderr());
        }
        JsonNode m = got.get(0);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sip));
        assertEquals(sha, m.get("payloadSha256").asText(), "payload byte-identical");
        assertEquals(sip.length, m.get("payload").asText().getBytes(StandardCharsets.UTF_8).length);
        assertEquals(6, m.get("protocol").asInt(), "IP protocol TCP");
        assertEquals(CLIENT_PORT, m.get("srcPort").asInt());
        assertEquals(SERVER_PORT, m.get("dstPort").asInt());
        assertEquals("large-invite-20k@heptap.test", m.get("correlation_id").asText());
    }
}
