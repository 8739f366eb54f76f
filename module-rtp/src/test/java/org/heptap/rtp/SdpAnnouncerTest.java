package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.heptap.sip.Sdp;
import org.heptap.sip.SdpParser;
import org.junit.jupiter.api.Test;

class SdpAnnouncerTest {
    private final RtpStreamTable table = new RtpStreamTable(16, 16);
    private final SdpAnnouncer announcer = new SdpAnnouncer();
    private final RtpHeader h = new RtpHeader();

    private int announce(String callId, String... lines) {
        byte[] b = (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        Sdp sdp = new Sdp();
        assertTrue(SdpParser.parse(b, 0, b.length, sdp));
        return announcer.announce(sdp, callId, table);
    }

    private int packet(String src, int sport, String dst, int dport, int pt) throws Exception {
        byte[] s = InetAddress.getByName(src).getAddress();
        byte[] d = InetAddress.getByName(dst).getAddress();
        byte[] pkt = {(byte) 0x80, (byte) pt, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9};
        assertEquals(RtpResult.RTP, RtpHeaderParser.parse(pkt, 0, pkt.length, h));
        return table.packet(s, d, s.length, sport, dport, h, 0, pkt.length);
    }

    @Test
    void offer_and_answer_announce_their_media_with_the_rtpmap_clock_rates() throws Exception {
        assertEquals(
                1,
                announce(
                        "opus-call",
                        "v=0",
                        "o=- 1 1 IN IP6 2001:db8::10",
                        "s=-",
                        "c=IN IP6 2001:db8::10",
                        "t=0 0",
                        "m=audio 44000 RTP/AVP 111 101",
                        "a=rtpmap:111 opus/48000/2",
                        "a=rtpmap:101 telephone-event/8000"));
        assertEquals(
                1,
                announce(
                        "opus-call",
                        "v=0",
                        "o=- 1 1 IN IP6 2001:db8::20",
                        "s=-",
                        "c=IN IP6 2001:db8::20",
                        "t=0 0",
                        "m=audio 54000 RTP/AVP 111",
                        "a=rtpmap:111 opus/48000/2",
                        "a=rtcp-mux"));
        int offerSide = packet("2001:db8::10", 44000, "2001:db8::20", 54000, 111);
        int answerSide = packet("2001:db8::20", 54000, "2001:db8::10", 44000, 111);
        assertNotEquals(KeyedSlots.NONE, offerSide);
        assertNotEquals(KeyedSlots.NONE, answerSide);
        assertEquals("opus-call", table.callId(answerSide));
        assertEquals(48000, table.stats(offerSide).payloadTypes().clockRate(111));
        // payload types are the receiver's (RFC 3264 §5.1): only the offerer announced telephone-event
        assertTrue(table.stats(answerSide).payloadTypes().isTelephoneEvent(101));
        assertTrue(!table.stats(offerSide).payloadTypes().isTelephoneEvent(101));
    }

    @Test
    void disabled_streams_and_host_names_announce_nothing() throws Exception {
        assertEquals(
                1,
                announce(
                        "c",
                        "v=0",
                        "o=- 1 1 IN IP4 192.0.2.10",
                        "s=-",
                        "c=IN IP4 192.0.2.10",
                        "t=0 0",
                        "m=audio 40000 RTP/AVP 0",
                        "m=video 0 RTP/AVP 96",
                        "m=audio 40002 RTP/AVP 0",
                        "c=IN IP4 pbx.example.org"));
        assertEquals(1, table.endpoints());
        assertEquals(KeyedSlots.NONE, packet("198.51.100.1", 30000, "198.51.100.2", 30002, 0));
        assertEquals(1, table.unannounced());
    }
}
