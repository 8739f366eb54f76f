package org.heptap.e2e;

import static org.heptap.e2e.LiveSippIT.exitOrZeroOnSignal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Live RTP over IPv6 on lo with the quick flags: a call set up with INVITE/200 over ::1 whose SDP
 * announces both media ports, then RTP both ways. The SIP socket's thread hands the SDP to the RTP
 * socket's thread; after the BYE and its grace, each stream's final report (HEP type 34,
 * correlated to the Call-ID) goes out on the RTP socket's timer while no packet arrives. Ports come from the free-port helper and only
 * reports of this test's Call-ID are looked at, so other traffic on lo does not matter.
 */
class LiveRtpIT {
    private static final int PACKETS = 100;

    @Test
    void rtp_both_ways_gives_one_final_report_per_stream_after_the_bye() throws Exception {
        String callId = "live-rtp-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "@heptap.test";
        try (LiveV6Call call = LiveV6Call.start("rtp")) {
            send(
                    call.uac,
                    call.v6,
                    call.sipUas,
                    sip(callId, "INVITE sip:bob@[::1]:" + call.sipUas + " SIP/2.0", call.sipUac, call.mediaUac));
            send(call.uas, call.v6, call.sipUac, sip(callId, "SIP/2.0 200 OK", call.sipUac, call.mediaUas));
            // both SDPs were parsed (and handed to the RTP socket) once the agent sent both on
            Await.until(
                    () -> sipOfCall(call.sink.read(), callId) >= 2,
                    Duration.ofSeconds(30),
                    "INVITE and 200 of " + callId + " at hep-sink");
            for (int i = 0; i < PACKETS; i++) {
                send(call.mediaA, call.v6, call.mediaUas, rtp(i, 0x0A0A0A0AL));
                send(call.mediaB, call.v6, call.mediaUac, rtp(i, 0x0B0B0B0BL));
            }
            // the BYE ends the call: bye-grace (5 s) later, on the RTP socket's timer (wall time
            // between packets), each stream's final report goes out while the agent runs on
            send(
                    call.uac,
                    call.v6,
                    call.sipUas,
                    sip(callId, "BYE sip:bob@[::1]:" + call.sipUas + " SIP/2.0", call.sipUac, 0));
            Await.until(
                    () -> finals(call.sink.read(), callId).size() >= 2,
                    Duration.ofSeconds(40),
                    "2 final RTP reports of " + callId + "; agent log:\n" + call.agent.stderr());
            call.agent.terminate(Duration.ofSeconds(20));
            assertEquals(0, exitOrZeroOnSignal(call.agent), call.agent.stderr());

            List<JsonNode> finals = finals(call.sink.stopAndRead(), callId);
            assertEquals(2, finals.size(), finals + "\n" + call.agent.stderr());
            for (JsonNode d : finals) {
                boolean aToB = d.get("src_port").asInt() == call.mediaUac;
                assertEquals(
                        aToB ? call.mediaUas : call.mediaUac, d.get("dst_port").asInt(), d.toString());
                assertEquals("::1", d.get("src_ip").asText());
                assertEquals(aToB ? 0x0A0A0A0AL : 0x0B0B0B0BL, d.get("ssrc").asLong(), d.toString());
                assertEquals(PACKETS, d.get("packets").asInt(), d.toString());
                assertEquals(0, d.get("lost").asInt(), d.toString());
                assertEquals("PCMU", d.get("codec").asText());
                assertTrue(d.get("mos").asDouble() >= 1 && d.get("mos").asDouble() <= 4.5, d.toString());
            }
        }
    }

    /** {@code heptap -i lo -p SIP_PORT -H udp:hep-sink} (quick sockets: SIP, RTCP, RTP analysis) with {@code more} flags. */
    static Proc quickAgent(int sipPort, HepSink sink, String... more) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Env.heptap().toString(),
                "-i",
                "lo",
                "-p",
                Integer.toString(sipPort),
                "-H",
                "udp:127.0.0.1:" + sink.udpPort));
        cmd.addAll(List.of(more));
        return Proc.start(cmd);
    }

    private static List<JsonNode> finals(List<JsonNode> got, String callId) {
        return got.stream()
                .filter(m -> m.path("payloadType").asInt() == 34
                        && callId.equals(m.path("correlation_id").asText()))
                .map(LiveRtpIT::doc)
                .filter(d -> d.path("final").asBoolean())
                .toList();
    }

    private static long sipOfCall(List<JsonNode> got, String callId) {
        return got.stream()
                .filter(m -> m.path("payloadType").asInt() == 1
                        && m.path("payload").asText().contains(callId))
                .count();
    }

    private static JsonNode doc(JsonNode m) {
        try {
            return Env.JSON.readTree(m.get("payload").asText());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void send(DatagramSocket from, InetAddress to, int port, byte[] data) throws Exception {
        from.send(new DatagramPacket(data, data.length, new InetSocketAddress(to, port)));
    }

    /** A PCMU packet of 20 ms (160 samples) with sequence {@code seq}. */
    static byte[] rtp(int seq, long ssrc) {
        byte[] p = new byte[172];
        p[0] = (byte) 0x80;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        long ts = 160L * seq;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        return p;
    }

    /** A request or response of the call; with {@code rtpPort} > 0 it carries an SDP naming that media port. */
    static byte[] sip(String callId, String firstLine, int uacPort, int rtpPort) {
        String cseq = firstLine.startsWith("BYE") ? "2 BYE" : "1 INVITE";
        String body = rtpPort > 0
                ? "v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio " + rtpPort
                        + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
                : "";
        String head = firstLine + "\r\n"
                + "Via: SIP/2.0/UDP [::1]:" + uacPort + ";branch=z9hG4bK-rtp-" + cseq.charAt(0) + "\r\n"
                + "From: <sip:alice@[::1]>;tag=a1\r\nTo: <sip:bob@[::1]>;tag=b1\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + cseq + "\r\nContact: <sip:alice@[::1]:" + uacPort + ">\r\n"
                + "Max-Forwards: 70\r\n"
                + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.US_ASCII).length + "\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }
}
