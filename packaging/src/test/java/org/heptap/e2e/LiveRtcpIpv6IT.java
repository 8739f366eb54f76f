package org.heptap.e2e;

import static org.heptap.e2e.LiveSippIT.exitOrZeroOnSignal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Live RTCP over IPv6 on lo: a call set up with INVITE/200 over ::1 (SDP {@code c=IN IP6 ::1},
 * RTCP ports in {@code a=rtcp}), then an SR+SDES and a lone XR VoIP-metrics report between the
 * announced RTCP ports. Both must reach hep-sink as type 5 correlated to the Call-ID: the RTCP
 * socket's generated capture filter has to admit IPv6. Ports come from the free-port helper and
 * only messages with this test's Call-ID are looked at, so other traffic on lo does not matter.
 */
class LiveRtcpIpv6IT {
    private static final InetAddress V6_LOOPBACK = loopback6();

    /** SR (one report block) + SDES CNAME: rtcp-json.md §2.4's worked example. */
    private static final byte[] SR_SDES = HexFormat.of()
            .parseHex(
                    "81c8000c11223344e9012b808000000000027100000000fa00009c4055667788"
                            + "05000003000100640000002aa3b180000001800081ca000611223344010f616c696365403139322e302e322e31000000");
    /** A lone XR with a VoIP-metrics block: R-factor 93, MOS-LQ 4.4, MOS-CQ 4.3. */
    private static final byte[] XR_VOIP = HexFormat.of()
            .parseHex("80cf000a1a2b3c4d070000085e6f708101000003" + "00000fa00028003cf0b07f105d7f2c2b80000028005000c8");

    @Test
    void rtcp_over_ipv6_arrives_as_type_5_correlated_to_the_call() throws Exception {
        String callId = "live-rtcp-v6-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "@heptap.test";
        try (LiveV6Call call = LiveV6Call.start("rtcp")) {
            send(call.uac, call.sipUas, invite(callId, call.sipUac, call.sipUas, call.mediaUac));
            send(call.uas, call.sipUac, ok(callId, call.sipUac, call.sipUas, call.mediaUas));
            // the SDP of both sides is registered once the agent has sent both SIP messages on
            Await.until(
                    () -> ofCall(call.sink.read(), callId, 1).size() >= 2,
                    Duration.ofSeconds(30),
                    "INVITE and 200 of " + callId + " at hep-sink");

            send(call.mediaA, call.mediaUas, SR_SDES);
            send(call.mediaB, call.mediaUac, XR_VOIP);
            Await.until(
                    () -> ofCall(call.sink.read(), callId, 5).size() >= 2,
                    Duration.ofSeconds(30),
                    "2 RTCP reports of " + callId + " at hep-sink; agent log:\n" + call.agent.stderr());
            call.agent.terminate(Duration.ofSeconds(20));
            assertEquals(0, exitOrZeroOnSignal(call.agent), call.agent.stderr());

            List<JsonNode> rtcp = ofCall(call.sink.stopAndRead(), callId, 5);
            assertEquals(2, rtcp.size(), rtcp.toString());
            JsonNode sr = rtcp.stream()
                    .filter(m -> m.get("srcPort").asInt() == call.mediaUac)
                    .findFirst()
                    .orElseThrow();
            assertEquals("::1", sr.get("srcIp").asText(), sr.toString());
            assertEquals(call.mediaUas, sr.get("dstPort").asInt());
            JsonNode srDoc = Env.JSON.readTree(sr.get("payload").asText());
            assertEquals(250, srDoc.get("sender_information").get("packets").asInt(), srDoc.toString());
            JsonNode xr = rtcp.stream()
                    .filter(m -> m.get("srcPort").asInt() == call.mediaUas)
                    .findFirst()
                    .orElseThrow();
            assertEquals("::1", xr.get("srcIp").asText(), xr.toString());
            assertTrue(Env.JSON.readTree(xr.get("payload").asText()).has("report_blocks_xr"), xr.toString());
            assertEquals(430, xr.path("mosChunk").asInt(), xr.toString());
            assertEquals(93, xr.path("rFactorChunk").asInt(), xr.toString());
        }
    }

    private static List<JsonNode> ofCall(List<JsonNode> got, String callId, int type) {
        return got.stream()
                .filter(m -> m.path("payloadType").asInt() == type
                                && callId.equals(m.path("correlation_id").asText())
                        || type == 1
                                && m.path("payloadType").asInt() == 1
                                && m.path("payload").asText().contains(callId))
                .toList();
    }

    private static void send(DatagramSocket from, int toPort, byte[] data) throws Exception {
        from.send(new DatagramPacket(data, data.length, new InetSocketAddress(V6_LOOPBACK, toPort)));
    }

    private static byte[] invite(String callId, int uacPort, int uasPort, int rtcpPort) {
        String sdp = sdp(rtcpPort - 1, rtcpPort);
        return sip(
                "INVITE sip:bob@[::1]:" + uasPort + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP [::1]:" + uacPort + ";branch=z9hG4bK-v6-1\r\n"
                        + "From: <sip:alice@[::1]>;tag=a1\r\nTo: <sip:bob@[::1]>\r\n"
                        + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@[::1]:" + uacPort + ">\r\n"
                        + "Max-Forwards: 70\r\nContent-Type: application/sdp\r\n",
                sdp);
    }

    private static byte[] ok(String callId, int uacPort, int uasPort, int rtcpPort) {
        String sdp = sdp(rtcpPort - 1, rtcpPort);
        return sip(
                "SIP/2.0 200 OK\r\n"
                        + "Via: SIP/2.0/UDP [::1]:" + uacPort + ";branch=z9hG4bK-v6-1\r\n"
                        + "From: <sip:alice@[::1]>;tag=a1\r\nTo: <sip:bob@[::1]>;tag=b1\r\n"
                        + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nContact: <sip:bob@[::1]:" + uasPort + ">\r\n"
                        + "Content-Type: application/sdp\r\n",
                sdp);
    }

    private static String sdp(int rtpPort, int rtcpPort) {
        return "v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\n" + "m=audio " + rtpPort
                + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtcp:" + rtcpPort + "\r\n";
    }

    private static byte[] sip(String head, String body) {
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        return (head + "Content-Length: " + b.length + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    private static InetAddress loopback6() {
        try {
            return InetAddress.getByName("::1");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
