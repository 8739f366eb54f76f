package org.heptap.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.heptap.core.capture.Frame;
import org.heptap.core.message.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The recorder's choices: which call a message belongs to, what it keeps, what it knows of each call. */
class RingRecorderTest {
    private static final byte[] A = {10, 0, 0, 1};
    private static final byte[] B = {10, 0, 0, 2};
    private static final byte[] C = {10, 0, 0, 3};

    private final RingStore store = new RingStore(1 << 20, 0, null, 0, false, false);
    private final RingRecorder rec = new RingRecorder(store, Set.of(), 100);
    private final Message m = new Message();
    private final Frame f = new Frame();
    private long time = 1_700_000_000_000_000L;

    RingRecorderTest() throws IOException {}

    @AfterEach
    void close() {
        store.close();
    }

    /** Records a UDP datagram; the frame's bytes are a marker (the recorder keeps them, it does not decode them). */
    private void udp(byte[] src, int sport, byte[] dst, int dport, String payload) {
        time += 1_000_000;
        udp(rec, m, f, src, sport, dst, dport, payload, time);
    }

    /**
     * Records a UDP datagram through a socket's reused message and frame; the frame's bytes are the
     * marker {@code frame@TIME:PAYLOAD} (at most {@code f.data}'s size).
     */
    static void udp(
            RingRecorder rec,
            Message m,
            Frame f,
            byte[] src,
            int sport,
            byte[] dst,
            int dport,
            String payload,
            long micros) {
        m.reset();
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        m.setAddresses(4, src, 0, dst, 0);
        m.setPorts(sport, dport);
        m.setIpProtocol(Message.IP_PROTO_UDP);
        m.setPayload(p, 0, p.length);
        f.setTimeMicros(micros);
        f.linkType = 1;
        byte[] marker = ("frame@" + micros + ":" + payload).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(marker, 0, f.data, 0, Math.min(marker.length, f.data.length));
        f.length = Math.min(marker.length, f.data.length);
        f.wireLength = f.length;
        rec.record(m, f);
    }

    static String invite(String callId, String from, String to, String sdpAddr, int port) {
        String sdp = "v=0\r\no=- 1 1 IN IP4 " + sdpAddr + "\r\ns=-\r\nc=IN IP4 " + sdpAddr + "\r\nt=0 0\r\nm=audio "
                + port + " RTP/AVP 0\r\n";
        return "INVITE sip:" + to + "@example.org SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:" + from
                + "@example.org>;tag=1\r\nTo: <sip:" + to + "@example.org>\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: " + sdp.length()
                + "\r\n\r\n" + sdp;
    }

    static String response(int code, String callId, String method, String sdpAddr, int port) {
        String sdp = sdpAddr == null
                ? ""
                : "v=0\r\no=- 1 1 IN IP4 " + sdpAddr + "\r\ns=-\r\nc=IN IP4 " + sdpAddr + "\r\nt=0 0\r\nm=audio " + port
                        + " RTP/AVP 0\r\n";
        return "SIP/2.0 " + code + " X\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@example.org>;tag=1\r\n"
                + "To: <sip:b@example.org>;tag=2\r\nCall-ID: " + callId + "\r\nCSeq: 1 " + method + "\r\n"
                + (sdp.isEmpty() ? "" : "Content-Type: application/sdp\r\n") + "Content-Length: " + sdp.length()
                + "\r\n\r\n" + sdp;
    }

    static String bye(String callId) {
        return "BYE sip:b@example.org SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK2\r\nFrom: <sip:a@example.org>;tag=1\r\n"
                + "To: <sip:b@example.org>;tag=2\r\nCall-ID: " + callId
                + "\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
    }

    /** The frames kept for {@code call} (as their marker text), in order. */
    private List<String> framesOf(long call, boolean media) throws IOException {
        List<String> out = new ArrayList<>();
        store.scan((t, flags, link, wire, c, buf, off, len) -> {
            if (c == call && (media || (flags & RingStore.FLAG_SIGNALLING) != 0))
                out.add(new String(buf, off, len, StandardCharsets.UTF_8));
        });
        return out;
    }

    @Test
    void a_calls_sip_and_the_media_on_its_sdp_addresses_are_kept_under_one_call() throws IOException {
        udp(A, 5060, B, 5060, invite("c1@x", "1001", "2002", "10.0.0.1", 4000));
        udp(B, 5060, A, 5060, response(200, "c1@x", "INVITE", "10.0.0.2", 6000));
        udp(A, 4000, B, 6000, "\u0080\u0000rtp a->b");
        udp(B, 6001, A, 4001, "\u0081\u00c8rtcp b->a");
        udp(C, 7000, C, 7002, "\u0080\u0000someone else's rtp");
        udp(A, 5060, B, 5060, bye("c1@x"));
        List<Long> ids = rec.callsWithId("c1@x".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, ids.size());
        long call = ids.get(0);
        assertEquals(3, framesOf(call, false).size(), "INVITE, 200, BYE");
        assertEquals(5, framesOf(call, true).size(), "and the RTP and RTCP on the SDP addresses");
        assertEquals(1, rec.counters().get("unmatched"), "the stranger's RTP");
        CallInfo c = rec.calls(x -> true, 10).get(0);
        assertEquals("c1@x", c.callId());
        assertEquals("1001", c.from());
        assertEquals("2002", c.to());
        assertEquals("2002", c.uriUser());
        assertEquals("ended", c.state());
        assertEquals(5, c.frames());
    }

    @Test
    void states_follow_the_invite_dialog() {
        udp(A, 5060, B, 5060, invite("s1", "1", "2", "10.0.0.1", 4000));
        udp(B, 5060, A, 5060, response(180, "s1", "INVITE", null, 0));
        udp(A, 5060, B, 5060, invite("s2", "1", "2", "10.0.0.1", 4002));
        udp(B, 5060, A, 5060, response(486, "s2", "INVITE", null, 0));
        udp(A, 5060, B, 5060, invite("s3", "1", "2", "10.0.0.1", 4004));
        udp(B, 5060, A, 5060, response(200, "s3", "INVITE", null, 0));
        udp(
                A,
                5060,
                B,
                5060,
                "OPTIONS sip:b@example.org SIP/2.0\r\nCall-ID: s4\r\nCSeq: 1 OPTIONS\r\n"
                        + "From: <sip:a@example.org>;tag=9\r\nTo: <sip:b@example.org>\r\nContent-Length: 0\r\n\r\n");
        udp(B, 5060, A, 5060, response(200, "s4", "OPTIONS", null, 0));
        List<String> states = rec.calls(x -> true, 10).stream()
                .map(x -> x.callId() + " " + x.state())
                .toList();
        assertEquals(List.of("s4 OPTIONS 200", "s3 answered", "s2 failed 486", "s1 ringing"), states);
    }

    @Test
    void one_frame_seen_twice_for_the_same_call_is_kept_once() throws IOException {
        udp(A, 5060, B, 5060, invite("d1", "1", "2", "10.0.0.1", 4000));
        rec.record(m, f); // the same frame again, as a second socket would hand it over
        assertEquals(
                1,
                framesOf(rec.callsWithId("d1".getBytes(StandardCharsets.UTF_8)).get(0), true)
                        .size());
        assertEquals(1, rec.counters().get("duplicates"));
    }

    /** A TCP segment may carry two messages of a call: the frame is kept once, both messages count. */
    @Test
    void a_second_message_in_the_same_frame_moves_the_call_on() throws IOException {
        udp(A, 5060, B, 5060, invite("t1", "1", "2", "10.0.0.1", 4000));
        byte[] ok = response(200, "t1", "INVITE", null, 0).getBytes(StandardCharsets.UTF_8);
        m.setPayload(ok, 0, ok.length); // the same frame (f), the next message framed out of it
        rec.record(m, f);
        CallInfo c = rec.calls(x -> true, 1).get(0);
        assertEquals("answered", c.state());
        assertEquals(1, c.frames());
        assertEquals(1, framesOf(c.number(), true).size());
    }

    @Test
    void sockets_not_named_are_not_recorded() throws IOException {
        try (RingStore s = new RingStore(1 << 20, 0, null, 0, false, false)) {
            RingRecorder r = new RingRecorder(s, Set.of("sip"), 10);
            assertTrue(r.records("sip"));
            assertTrue(!r.records("rtp"));
        }
        assertTrue(rec.records("anything"), "no list: every socket");
    }

    /** The index is bounded: the oldest calls are forgotten first, and counted. */
    @Test
    void beyond_its_bound_the_index_forgets_the_oldest_calls() {
        for (int i = 0; i < 150; i++) udp(A, 5060, B, 5060, invite("n" + i, "1", "2", "10.0.0.1", 4000 + 2 * i));
        assertEquals(50, rec.counters().get("calls-forgotten"));
        assertEquals(0, rec.callsWithId("n49".getBytes(StandardCharsets.UTF_8)).size());
        assertEquals(1, rec.callsWithId("n50".getBytes(StandardCharsets.UTF_8)).size());
        assertEquals(100, rec.calls(x -> true, 1000).size());
    }
}
