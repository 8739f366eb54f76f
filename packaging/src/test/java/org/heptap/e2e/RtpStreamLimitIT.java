package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RTP stream table's bound in the running agent, with bin/heptap's own 64 MB heap: a capture
 * the test writes, of 20,000 calls whose INVITE and 200 OK each announce a distinct media endpoint
 * and whose RTP flows both ways (40,000 streams, none ending before the file does), replayed with
 * the stock SIP and RTP plans and the default {@code modules.rtp.max-streams} (16,384) and
 * {@code max-endpoints} (32,768): every stream is started, the table never holds more than its
 * limit, the rest are counted as evicted (oldest first) and reported as they go, and the agent
 * ends normally, no OutOfMemoryError.
 */
@Offline
class RtpStreamLimitIT {
    private static final int CALLS = 20_000;
    private static final int MAX_STREAMS = 16_384;
    private static final int MAX_ENDPOINTS = 32_768;

    @TempDir
    Path dir;

    @Test
    void more_streams_than_the_table_holds_are_evicted_and_counted_within_64_mb() throws Exception {
        Path pcap = dir.resolve("many-streams.pcap");
        writeCapture(pcap);
        try (HepSink sink = HepSink.startUdp()) {
            Path yaml = Files.writeString(
                    dir.resolve("heptap.yaml"), """
                    agent:
                      capture-plans: %s
                    sockets:
                      sip:
                        port-range: 5060
                        capture-plan: sip_capture_plan.cfg
                      rtp:
                        port-range: 1024-65535
                        transport: udp
                        rtp-filter: true
                        capture-plan: rtp_capture_plan.cfg
                    transports:
                      hepsocket:
                        type: hep
                        host: 127.0.0.1
                        port: %d
                      console:
                        type: console
                        mode: never
                    modules:
                      rtp:
                        handoff-size: 65536
                    """.formatted(Env.home().resolve("conf/captureplans"), sink.udpPort));
            Proc agent = Proc.run(
                    Duration.ofSeconds(180),
                    List.of(Env.heptap().toString(), "--config", yaml.toString(), "-r", pcap.toString()));
            String log = agent.stderr();
            assertEquals(0, agent.exitCode(), log);
            assertFalse(log.contains("OutOfMemoryError") || log.contains("Exception"), log);
            Map<String, Long> c = QuickReplay.moduleCounters(log, "rtp");
            assertEquals(2L * CALLS, c.get("streams-started"), c.toString());
            assertEquals(2L * CALLS - MAX_STREAMS, c.get("streams-evicted"), c.toString());
            assertEquals(2L * CALLS - MAX_ENDPOINTS, c.get("endpoints-evicted"), c.toString());
            assertEquals(0L, c.get("unannounced"), c.toString());
            assertEquals(0L, c.get("handoff-dropped"), c.toString());
            // every stream gets its final report: the evicted ones when they go (flagged "evicted"),
            // those still in the table at the end of the file then
            assertEquals(2L * CALLS, c.get("final-reports"), c.toString());
        }
    }

    /**
     * Per call: INVITE (SDP: the caller's endpoint) and 200 OK (SDP: the callee's), then two RTP
     * packets each way, all within the call's own millisecond (frames in time order); calls start
     * 1 ms apart, so the file spans 20 s, less than the RTP timeout: every stream is alive when
     * the file ends. Classic pcap, Ethernet, IPv4 (checksum 0), UDP.
     */
    private static void writeCapture(Path file) throws IOException {
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.write(le(ByteBuffer.allocate(24))
                    .putInt(0xa1b2c3d4)
                    .putShort((short) 2)
                    .putShort((short) 4)
                    .putInt(0)
                    .putInt(0)
                    .putInt(65535)
                    .putInt(1)
                    .array());
            for (int i = 0; i < CALLS; i++) {
                byte[] a = {10, 1, (byte) (i >> 8), (byte) i};
                byte[] b = {10, 2, (byte) (i >> 8), (byte) i};
                int portA = 20_000 + 2 * (i % 5000);
                int portB = 40_000 + 2 * (i % 5000);
                long t = 1_000_000_000_000L + 1000L * i;
                String callId = "limit-" + i + "@10.1.0.1";
                frame(out, t, a, b, 5060, 5060, sip("INVITE sip:b@10.2.0.1 SIP/2.0", callId, a, portA));
                frame(out, t + 100, b, a, 5060, 5060, sip("SIP/2.0 200 OK", callId, b, portB));
                for (int k = 0; k < 2; k++) {
                    frame(out, t + 200 + 200L * k, a, b, portA, portB, rtp(k, 2L * i));
                    frame(out, t + 300 + 200L * k, b, a, portB, portA, rtp(k, 2L * i + 1));
                }
            }
        }
    }

    private static byte[] sip(String startLine, String callId, byte[] addr, int port) {
        String ip = (addr[0] & 0xff) + "." + (addr[1] & 0xff) + "." + (addr[2] & 0xff) + "." + (addr[3] & 0xff);
        String sdp = "v=0\r\no=- 1 1 IN IP4 " + ip + "\r\ns=-\r\nc=IN IP4 " + ip + "\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        String msg = startLine + "\r\nVia: SIP/2.0/UDP " + ip + ":5060;branch=z9hG4bK" + callId.hashCode()
                + "\r\nFrom: <sip:a@10.1.0.1>;tag=1\r\nTo: <sip:b@10.2.0.1>\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: " + sdp.length()
                + "\r\n\r\n" + sdp;
        return msg.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] rtp(int seq, long ssrc) {
        return ByteBuffer.allocate(12 + 160)
                .put((byte) 0x80)
                .put((byte) 0)
                .putShort((short) seq)
                .putInt(160 * seq)
                .putInt((int) ssrc)
                .array();
    }

    private static void frame(
            OutputStream out, long micros, byte[] src, byte[] dst, int sport, int dport, byte[] payload)
            throws IOException {
        int ipLen = 20 + 8 + payload.length;
        ByteBuffer f = ByteBuffer.allocate(14 + ipLen)
                .put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0})
                .put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) ipLen)
                .putInt(0)
                .put((byte) 64)
                .put((byte) 17)
                .putShort((short) 0)
                .put(src)
                .put(dst)
                .putShort((short) sport)
                .putShort((short) dport)
                .putShort((short) (8 + payload.length))
                .putShort((short) 0)
                .put(payload);
        out.write(le(ByteBuffer.allocate(16))
                .putInt((int) (micros / 1_000_000))
                .putInt((int) (micros % 1_000_000))
                .putInt(f.capacity())
                .putInt(f.capacity())
                .array());
        out.write(f.array());
    }

    private static ByteBuffer le(ByteBuffer b) {
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }
}
