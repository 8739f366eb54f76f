package org.heptap.sip;

import static org.heptap.sip.Sip.bytes;
import static org.heptap.sip.Sip.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SdpParserTest {

    private static Sdp parse(String text) {
        Sdp s = new Sdp();
        byte[] b = bytes(text);
        SdpParser.parse(b, 0, b.length, s);
        return s;
    }

    @Test
    void session_level_connection_applies_to_every_media() {
        Sdp s = parse(sdp(
                "v=0",
                "o=- 1 1 IN IP4 198.51.100.1",
                "s=-",
                "c=IN IP4 192.0.2.10",
                "t=0 0",
                "m=audio 40000 RTP/AVP 0 8",
                "m=video 40002 RTP/AVP 96"));
        assertTrue(s.hasSessionAddress());
        assertEquals("192.0.2.10", s.sessionAddress());
        assertEquals(2, s.mediaCount());
        assertEquals("audio", s.mediaType(0));
        assertEquals("RTP/AVP", s.mediaProtocol(0));
        assertEquals(40000, s.mediaPort(0));
        assertEquals("192.0.2.10", s.address(0));
        assertEquals(4, s.addressVersion(0));
        assertEquals("192.0.2.10", s.rtcpAddress(0));
        assertEquals(40001, s.rtcpPort(0));
        assertEquals("video", s.mediaType(1));
        assertEquals(40003, s.rtcpPort(1));
        assertEquals(-1, s.rtcpAttributePort(1));
        assertFalse(s.rtcpMux(1));
    }

    @Test
    void media_level_connection_overrides_session_level() {
        Sdp s = parse(sdp(
                "v=0",
                "c=IN IP4 192.0.2.10",
                "m=audio 40000 RTP/AVP 0",
                "c=IN IP4 203.0.113.7",
                "m=video 50000 RTP/AVP 96"));
        assertEquals("203.0.113.7", s.address(0));
        assertEquals("203.0.113.7", s.rtcpAddress(0));
        assertEquals("192.0.2.10", s.address(1));
    }

    @Test
    void media_level_connection_without_session_level() {
        Sdp s = parse(sdp("v=0", "m=audio 40000 RTP/AVP 0", "c=IN IP4 192.0.2.55", "m=audio 40002 RTP/AVP 0"));
        assertFalse(s.hasSessionAddress());
        assertEquals("192.0.2.55", s.address(0));
        assertNull(s.address(1));
        assertEquals(0, s.addressVersion(1));
    }

    @Test
    void sdp_rtcp_attribute() {
        Sdp s = parse(sdp(
                "v=0",
                "c=IN IP4 192.0.2.10",
                "m=audio 40000 RTP/AVP 0",
                "a=rtcp:40011 IN IP4 192.0.2.99",
                "m=audio 40002 RTP/AVP 0",
                "a=rtcp:53020"));
        assertEquals(40011, s.rtcpPort(0));
        assertEquals(40011, s.rtcpAttributePort(0));
        assertEquals("192.0.2.99", s.rtcpAddress(0));
        assertEquals(4, s.rtcpAddressVersion(0));
        assertEquals("192.0.2.10", s.address(0));
        // the address-less form (ignored by captagent) uses the connection address
        assertEquals(53020, s.rtcpPort(1));
        assertEquals("192.0.2.10", s.rtcpAddress(1));
    }

    @Test
    void sdp_rtcp_mux() {
        Sdp s = parse(sdp(
                "v=0",
                "c=IN IP4 192.0.2.10",
                "m=audio 42000 RTP/AVP 0",
                "a=rtcp-mux",
                "a=rtcp-rsize",
                "m=audio 42002 RTP/AVP 0",
                "a=rtcp:42002",
                "a=rtcp-mux",
                "m=audio 42004 RTP/AVP 0",
                "a=rtcp-muxed"));
        assertTrue(s.rtcpMux(0));
        assertEquals(42000, s.rtcpPort(0));
        assertEquals("192.0.2.10", s.rtcpAddress(0));
        assertTrue(s.rtcpMux(1));
        assertEquals(42002, s.rtcpPort(1));
        assertFalse(s.rtcpMux(2));
        assertEquals(42005, s.rtcpPort(2));
    }

    @Test
    void ipv6_sdp() {
        Sdp s = parse(sdp(
                "v=0",
                "o=- 1 1 IN IP6 ::1",
                "c=IN IP6 2001:db8::10",
                "m=audio 40000 RTP/AVP 0",
                "a=rtcp:40001 IN IP6 2001:db8::20"));
        assertEquals("2001:db8::10", s.address(0));
        assertEquals(6, s.addressVersion(0));
        assertEquals("2001:db8::20", s.rtcpAddress(0));
        assertEquals(6, s.rtcpAddressVersion(0));
        assertEquals(40001, s.rtcpPort(0));
    }

    @Test
    void multicast_ttl_suffix_is_dropped_and_first_connection_wins() {
        Sdp s = parse(sdp("v=0", "m=video 51372 RTP/AVP 99", "c=IN IP4 233.252.0.1/127", "c=IN IP4 233.252.0.2/127"));
        assertEquals("233.252.0.1", s.address(0));
    }

    @Test
    void disabled_stream_has_no_rtcp() {
        Sdp s = parse(sdp("v=0", "c=IN IP4 192.0.2.10", "m=video 0 RTP/AVP 96", "m=audio 65535 RTP/AVP 0"));
        assertEquals(0, s.mediaPort(0));
        assertEquals(0, s.rtcpPort(0));
        assertEquals(0, s.rtcpPort(1)); // 65536 is no port
    }

    @Test
    void port_count_and_lf_line_ends() {
        Sdp s = parse("v=0\nc=IN IP4 192.0.2.10\nm=audio 49170/2 RTP/AVP 0\na=rtcp:49180\n");
        assertEquals(49170, s.mediaPort(0));
        assertEquals(49180, s.rtcpPort(0));
    }

    @Test
    void malformed_lines_are_skipped() {
        Sdp s = parse(sdp(
                "v=0",
                "c=IN IP4",
                "c=XX IP4 1.2.3.4",
                "c=IN IPX 1.2.3.4",
                "m=audio",
                "a=rtcp:99999",
                "m=audio x RTP/AVP",
                "a=rtcp-mux",
                "m=audio 7000 RTP/AVP 0",
                "a=rtcp:abc",
                "c=IN IP4 192.0.2.1"));
        assertFalse(s.hasSessionAddress());
        assertEquals(1, s.mediaCount());
        assertEquals(7000, s.mediaPort(0));
        assertEquals(7001, s.rtcpPort(0));
        assertFalse(s.rtcpMux(0));
        assertEquals("192.0.2.1", s.address(0));
    }

    @Test
    void media_count_is_bounded() {
        StringBuilder sb = new StringBuilder("v=0\r\nc=IN IP4 192.0.2.1\r\n");
        for (int i = 0; i < Sdp.MAX_MEDIA + 5; i++)
            sb.append("m=audio ").append(10000 + 2 * i).append(" RTP/AVP 0\r\na=rtcp-mux\r\n");
        Sdp s = parse(sb.toString());
        assertEquals(Sdp.MAX_MEDIA, s.mediaCount());
        assertEquals(5, s.droppedMedia());
        assertTrue(s.rtcpMux(Sdp.MAX_MEDIA - 1));
    }

    @Test
    void multipart_without_boundary_falls_back_to_the_v_line() {
        String body = "--x\r\nContent-Type: application/sdp\r\n\r\n"
                + sdp("v=0", "c=IN IP4 192.0.2.10", "m=audio 4000 RTP/AVP 0") + "--x--\r\n";
        Sdp s = new Sdp();
        byte[] b = bytes(body);
        assertTrue(SdpParser.parseMultipart(b, 0, b.length, 0, 0, s));
        assertEquals(4001, s.rtcpPort(0));
    }

    @Test
    void empty_and_non_sdp_text() {
        assertFalse(SdpParser.parse(new byte[0], 0, 0, new Sdp()));
        assertFalse(SdpParser.parse(bytes("hello\r\nworld"), 0, 11, new Sdp()));
    }
}
