package org.heptap.sip;

import static org.heptap.sip.Sip.bytes;
import static org.heptap.sip.Sip.msg;
import static org.heptap.sip.Sip.msgWithBody;
import static org.heptap.sip.Sip.parse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SipParserTest {

    private static final String SDP_BODY = Sip.sdp(
            "v=0",
            "o=- 1 1 IN IP4 192.0.2.10",
            "s=-",
            "c=IN IP4 192.0.2.10",
            "t=0 0",
            "m=audio 40000 RTP/AVP 0",
            "a=rtpmap:0 PCMU/8000");

    @Test
    void invite_with_sdp() {
        byte[] b = msgWithBody(
                SDP_BODY,
                "INVITE sip:bob@example.org SIP/2.0",
                "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1;rport",
                "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-0",
                "Max-Forwards: 70",
                "From: \"Alice Smith\" <sip:alice@example.org>;tag=a1",
                "To: <sip:bob@example.org>",
                "Call-ID: abc-123@192.0.2.10",
                "CSeq: 17 INVITE",
                "Contact: <sip:alice@192.0.2.10:5060>",
                "User-Agent: AlphaPhone/2.1.0",
                "Content-Type: application/sdp",
                "Content-Length: " + SDP_BODY.length());
        SipMessage m = parse(b);
        assertEquals(SipStatus.OK, m.status());
        assertTrue(m.isRequest());
        assertFalse(m.isResponse());
        assertEquals("INVITE sip:bob@example.org SIP/2.0", m.text(SipField.START_LINE));
        assertEquals("INVITE", m.method());
        assertEquals("sip:bob@example.org", m.requestUri());
        assertEquals("SIP/2.0", m.text(SipField.VERSION));
        assertEquals("abc-123@192.0.2.10", m.callId());
        assertEquals(17, m.cseqNumber());
        assertEquals("INVITE", m.cseqMethod());
        assertEquals("17 INVITE", m.text(SipField.CSEQ));
        assertEquals("sip:alice@example.org", m.text(SipField.FROM_URI));
        assertEquals("alice", m.fromUser());
        assertEquals("Alice Smith", m.text(SipField.FROM_DISPLAY));
        assertEquals("a1", m.text(SipField.FROM_TAG));
        assertEquals("bob", m.toUser());
        assertNull(m.text(SipField.TO_TAG));
        assertNull(m.text(SipField.TO_DISPLAY));
        assertEquals("SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1;rport", m.text(SipField.VIA));
        assertEquals("z9hG4bK-1", m.text(SipField.VIA_BRANCH));
        assertEquals(2, m.viaCount());
        assertEquals("<sip:alice@192.0.2.10:5060>", m.text(SipField.CONTACT));
        assertEquals("AlphaPhone/2.1.0", m.userAgent());
        assertEquals("application/sdp", m.text(SipField.CONTENT_TYPE));
        assertEquals(SDP_BODY.length(), m.contentLength());
        assertEquals(SDP_BODY, m.text(SipField.BODY));
        assertEquals(SipMessage.BodyType.SDP, m.bodyType());
        assertTrue(m.hasSdp());
        assertEquals(1, m.sdp().mediaCount());
        assertEquals(40001, m.sdp().rtcpPort(0));
        assertEquals(11, m.headerCount());
        assertTrue(m.headersComplete());
        assertFalse(m.bodyTruncated());
    }

    @Test
    void compact_headers() {
        byte[] b = msgWithBody(
                SDP_BODY,
                "INVITE sip:bob@192.0.2.20 SIP/2.0",
                "v: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-ci1",
                "f: \"Alice\" <sip:alice@example.org>;tag=ci1",
                "t: <sip:bob@example.org>",
                "i: cmpt-inv-0002@192.0.2.10",
                "CSeq: 1 INVITE",
                "m: <sip:alice@192.0.2.10:5060>",
                "s: compact form test",
                "k: timer",
                "e: identity",
                "c: application/sdp",
                "l: " + SDP_BODY.length());
        SipMessage m = parse(b);
        assertEquals(SipStatus.OK, m.status());
        assertEquals("cmpt-inv-0002@192.0.2.10", m.callId());
        assertEquals("alice", m.fromUser());
        assertEquals("ci1", m.text(SipField.FROM_TAG));
        assertEquals("bob", m.toUser());
        assertEquals("z9hG4bK-ci1", m.text(SipField.VIA_BRANCH));
        assertEquals("<sip:alice@192.0.2.10:5060>", m.text(SipField.CONTACT));
        assertEquals(SDP_BODY.length(), m.contentLength());
        assertTrue(m.hasSdp());
        assertEquals(SipHeader.SUBJECT, m.headerId(6));
        assertEquals("compact form test", m.header("Subject"));
        assertEquals("compact form test", m.header("s"));
        assertEquals("timer", m.header("Supported"));
        assertEquals("identity", m.header("Content-Encoding"));
        assertEquals("cmpt-inv-0002@192.0.2.10", m.header("CALL-ID"));
    }

    @Test
    void every_compact_form_maps_to_its_header() {
        String letters = "ifvtmlkcseouxrbyajdn";
        for (char c : letters.toCharArray()) {
            SipHeader h = SipHeader.lookup(String.valueOf(c));
            assertEquals(c, h.compactForm(), "compact " + c);
            assertEquals(h, SipHeader.lookup(String.valueOf(Character.toUpperCase(c))));
            assertEquals(h, SipHeader.lookup(h.canonicalName().toLowerCase()));
        }
        assertNull(SipHeader.lookup("q"));
        assertNull(SipHeader.lookup("X-Unknown"));
    }

    @Test
    void response_without_reason() {
        SipMessage m = parse(msg("SIP/2.0 200", "Call-ID: r1@x", "CSeq: 5 OPTIONS"));
        assertEquals(SipStatus.OK, m.status());
        assertTrue(m.isResponse());
        assertFalse(m.isRequest());
        assertEquals(200, m.statusCode());
        assertNull(m.text(SipField.REASON));
        assertEquals("SIP/2.0 200", m.text(SipField.START_LINE));
        assertNull(m.method());
        assertEquals("OPTIONS", m.cseqMethod());
    }

    @Test
    void response_reason_with_spaces() {
        SipMessage m = parse(msg("SIP/2.0 503 Service  Unavailable ", "Call-ID: r1@x"));
        assertEquals(503, m.statusCode());
        assertEquals("Service  Unavailable", m.text(SipField.REASON));
    }

    @Test
    void status_line_without_headers_has_no_call_id() {
        SipMessage m = parse(bytes("SIP/2.0 200\r\n\r\n"));
        assertEquals(SipStatus.NO_CALL_ID, m.status());
        assertEquals(200, m.statusCode());
    }

    @Test
    void malformed_status_codes() {
        assertEquals(
                SipStatus.MALFORMED, parse(msg("SIP/2.0 20 OK", "Call-ID: a")).status());
        assertEquals(
                SipStatus.MALFORMED, parse(msg("SIP/2.0 2000 OK", "Call-ID: a")).status());
        assertEquals(
                SipStatus.MALFORMED, parse(msg("SIP/2.0 abc OK", "Call-ID: a")).status());
        assertEquals(
                SipStatus.MALFORMED, parse(msg("SIP/2.0 099 Low", "Call-ID: a")).status());
        assertEquals(SipStatus.MALFORMED, parse(msg("SIP/2.0", "Call-ID: a")).status());
    }

    @Test
    void header_folding() {
        SipMessage m = parse(msg(
                "OPTIONS sip:bob@example.org SIP/2.0",
                "Subject: first part",
                "  second part",
                "\tthird part",
                "From:",
                " \"Al\" <sip:al@example.org>",
                " ;tag=f1",
                "Call-ID: fold-1@x",
                "CSeq: 2",
                "  OPTIONS"));
        assertEquals(SipStatus.OK, m.status());
        assertEquals("first part second part third part", m.header("Subject"));
        assertEquals("al", m.fromUser());
        assertEquals("f1", m.text(SipField.FROM_TAG));
        assertEquals("Al", m.text(SipField.FROM_DISPLAY));
        assertEquals(2, m.cseqNumber());
        assertEquals("OPTIONS", m.cseqMethod());
        assertEquals(4, m.headerCount());
        assertEquals(0, m.malformedLines());
    }

    @Test
    void folding_line_before_any_header_is_counted() {
        SipMessage m = parse(msg("OPTIONS sip:bob@example.org SIP/2.0", " orphan", "Call-ID: x"));
        assertEquals(SipStatus.OK, m.status());
        assertEquals(1, m.malformedLines());
    }

    @Test
    void content_length_larger_than_body() {
        SipMessage m = parse(msgWithBody(
                "short body\r\n",
                "MESSAGE sip:bob@192.0.2.20 SIP/2.0",
                "Call-ID: mal-cl-9@example.org",
                "CSeq: 1 MESSAGE",
                "Content-Type: text/plain",
                "Content-Length: 99999"));
        assertEquals(SipStatus.OK, m.status());
        assertEquals(99999, m.contentLength());
        assertTrue(m.bodyTruncated());
        assertEquals("short body\r\n", m.text(SipField.BODY));
        assertEquals(SipMessage.BodyType.OTHER, m.bodyType());
    }

    @Test
    void content_length_smaller_than_body() {
        SipMessage m = parse(
                msgWithBody("hello, and trailing junk", "MESSAGE sip:b@x SIP/2.0", "Call-ID: c", "Content-Length: 5"));
        assertEquals("hello", m.text(SipField.BODY));
        assertFalse(m.bodyTruncated());
    }

    @Test
    void content_length_not_a_number_means_rest_of_datagram() {
        SipMessage m = parse(msgWithBody("body", "MESSAGE sip:b@x SIP/2.0", "Call-ID: c", "Content-Length: 4x"));
        assertEquals(-1, m.contentLength());
        assertEquals("body", m.text(SipField.BODY));
    }

    @Test
    void headers_without_colon() {
        SipMessage m = parse(msg(
                "OPTIONS sip:bob@192.0.2.20 SIP/2.0",
                "Via SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-mal10",
                "From <sip:alice@192.0.2.10>;tag=m10",
                "To: <sip:bob@192.0.2.20>",
                "Call-ID: mal-nocolon-10@example.org",
                "CSeq 1 OPTIONS",
                "Content-Length: 0"));
        assertEquals(SipStatus.OK, m.status());
        assertEquals("mal-nocolon-10@example.org", m.callId());
        assertEquals(3, m.malformedLines());
        assertEquals(-1, m.cseqNumber());
        assertFalse(m.has(SipField.CSEQ));
        assertFalse(m.has(SipField.FROM));
        assertFalse(m.has(SipField.VIA));
        assertEquals("bob", m.toUser());
        assertEquals(3, m.headerCount());
    }

    @Test
    void non_utf8_display_name() {
        byte[] b = msg(
                "OPTIONS sip:bob@192.0.2.20 SIP/2.0",
                "From: \"\u00ff\u00fe\u00c3\u0028 Al\u00e9\" <sip:alice@192.0.2.10>;tag=m11",
                "Call-ID: mal-utf8-11@example.org",
                "Subject: \u0080\u0081\u00c0\u00af\u00ed\u00a0\u0080");
        SipMessage m = parse(b);
        assertEquals(SipStatus.OK, m.status());
        assertEquals("alice", m.fromUser());
        assertEquals("m11", m.text(SipField.FROM_TAG));
        int d = m.offset(SipField.FROM_DISPLAY);
        assertArrayEquals(
                new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, ' ', 'A', 'l', (byte) 0xe9},
                Arrays.copyOfRange(b, d, d + m.length(SipField.FROM_DISPLAY)));
        assertTrue(m.text(SipField.FROM_DISPLAY).contains("\ufffd")); // decoded leniently, no exception
        assertTrue(m.header("Subject").length() > 0);
    }

    @Test
    void quoted_display_name_with_escapes_and_brackets() {
        SipMessage m = parse(msg(
                "OPTIONS sip:b@x SIP/2.0",
                "From: \"A \\\"quoted\\\" <name>\" <sip:q@example.org;transport=udp>;tag=t9;x=y",
                "Call-ID: c"));
        assertEquals("A \\\"quoted\\\" <name>", m.text(SipField.FROM_DISPLAY));
        assertEquals("sip:q@example.org;transport=udp", m.text(SipField.FROM_URI));
        assertEquals("q", m.fromUser());
        assertEquals("t9", m.text(SipField.FROM_TAG));
    }

    @Test
    void addr_spec_without_brackets_and_other_uris() {
        SipMessage m = parse(msg(
                "OPTIONS sip:b@x SIP/2.0",
                "From: sip:carol:secret@example.org;tag=55",
                "To: tel:+4930123;phone-context=example.org",
                "Call-ID: c"));
        assertEquals("sip:carol:secret@example.org", m.text(SipField.FROM_URI));
        assertEquals("carol", m.fromUser());
        assertEquals("55", m.text(SipField.FROM_TAG));
        assertEquals("tel:+4930123", m.text(SipField.TO_URI));
        assertEquals("+4930123", m.toUser());
        SipMessage n = parse(msg("OPTIONS sip:b@x SIP/2.0", "To: <sip:example.org>", "Call-ID: c"));
        assertNull(n.toUser());
    }

    @Test
    void crlf_keepalive_is_not_sip() {
        assertEquals(SipStatus.NOT_SIP, parse(bytes("\r\n\r\n")).status());
        assertEquals(SipStatus.NOT_SIP, parse(bytes("\r\n")).status());
        assertEquals(SipStatus.NOT_SIP, parse(new byte[0]).status());
    }

    @Test
    void garbage_is_not_sip() {
        assertEquals(
                SipStatus.NOT_SIP,
                parse(new byte[] {(byte) 0x80, (byte) 0xc8, 0, 6}).status());
        assertEquals(
                SipStatus.NOT_SIP,
                parse(bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).status());
        assertEquals(SipStatus.NOT_SIP, parse(bytes("HTTP/1.1 200 OK\r\n\r\n")).status());
        assertEquals(SipStatus.NOT_SIP, parse(bytes("hello world\r\n")).status());
        assertEquals(
                SipStatus.NOT_SIP, parse(bytes("INVITE\r\nCall-ID: x\r\n\r\n")).status());
        assertEquals(
                SipStatus.NOT_SIP,
                parse(bytes("INVITE SIP/2.0\r\nCall-ID: x\r\n\r\n")).status());
        assertEquals(
                SipStatus.NOT_SIP, parse(bytes(" INVITE sip:a SIP/2.0\r\n\r\n")).status());
    }

    @Test
    void lf_only_line_ends() {
        SipMessage m = parse(bytes("BYE sip:b@x SIP/2.0\nCall-ID: lf@x\nCSeq: 3 BYE\nContent-Length: 2\n\nhi"));
        assertEquals(SipStatus.OK, m.status());
        assertEquals("BYE sip:b@x SIP/2.0", m.text(SipField.START_LINE));
        assertEquals("lf@x", m.callId());
        assertEquals("hi", m.text(SipField.BODY));
    }

    @Test
    void whitespace_around_colon_and_any_case() {
        SipMessage m =
                parse(msg("OPTIONS sip:b@x SIP/2.0", "call-id   :   ws@x  ", "cSEQ:\t9 OPTIONS", "USER-AGENT : UA 1"));
        assertEquals("ws@x", m.callId());
        assertEquals(9, m.cseqNumber());
        assertEquals("UA 1", m.userAgent());
        assertEquals("call-id", m.headerName(0));
    }

    @Test
    void no_call_id() {
        SipMessage m = parse(bytes("OPTIONS sip:bob@192.0.2.20 SIP/2.0\r\n\r\n"));
        assertEquals(SipStatus.NO_CALL_ID, m.status());
        assertEquals("OPTIONS", m.method());
        assertEquals(
                SipStatus.NO_CALL_ID,
                parse(msg("OPTIONS sip:b@x SIP/2.0", "Call-ID:   ")).status());
    }

    @Test
    void truncated_messages() {
        assertEquals(
                SipStatus.TRUNCATED,
                parse(bytes("INVITE sip:bob@192.0.2.20:50")).status());
        assertEquals(
                SipStatus.TRUNCATED,
                parse(bytes("INVITE sip:bob@x SIP/2.0\r\nVia: SIP/2.0/UDP x\r\nCall-I"))
                        .status());
        // the last line may be cut: a Call-ID on it is not trusted
        assertEquals(
                SipStatus.TRUNCATED,
                parse(bytes("INVITE sip:bob@x SIP/2.0\r\nCall-ID: abc")).status());
        assertEquals(SipStatus.TRUNCATED, parse(bytes("SIP/2.0 1")).status());
        // complete Call-ID line but no blank line: usable, flagged
        SipMessage m = parse(bytes("INVITE sip:bob@x SIP/2.0\r\nCall-ID: abc\r\nCSeq: 1 INV"));
        assertEquals(SipStatus.OK, m.status());
        assertFalse(m.headersComplete());
        assertFalse(m.has(SipField.CSEQ));
    }

    @Test
    void pai_ppi_custom_header_and_server() {
        SipMessage m = new SipMessage();
        byte[] b = msg(
                "SIP/2.0 200 OK",
                "Call-ID: c",
                "P-Asserted-Identity: <sip:+49301@example.org>",
                "P-Preferred-Identity: \"X\" <sip:x@example.org>",
                "x-customer-id: 4711",
                "Server: ExampleRegistrar/1.0");
        new SipParser(HeaderName.of("X-Customer-ID"), 32).parse(b, 0, b.length, m);
        assertEquals("<sip:+49301@example.org>", m.text(SipField.P_ASSERTED_IDENTITY));
        assertEquals("\"X\" <sip:x@example.org>", m.text(SipField.P_PREFERRED_IDENTITY));
        assertEquals("4711", m.text(SipField.CUSTOM));
        assertEquals("ExampleRegistrar/1.0", m.text(SipField.SERVER));
        assertNull(m.userAgent());
        // a custom header that is a known (compact-capable) header matches its compact form
        byte[] c = msg("OPTIONS sip:b@x SIP/2.0", "i: cid", "s: compact subject");
        new SipParser(HeaderName.of("Subject"), 32).parse(c, 0, c.length, m);
        assertEquals("compact subject", m.text(SipField.CUSTOM));
    }

    /** findHeader skips the walk when the message has no header of that kind: it must not skip one it has. */
    @Test
    void header_lookup_after_a_message_with_other_headers() {
        SipMessage m = new SipMessage();
        SipParser p = new SipParser();
        byte[] first = msg("OPTIONS sip:b@x SIP/2.0", "i: c1", "X-RTP-Stat: PS=1", "v: SIP/2.0/UDP h");
        p.parse(first, 0, first.length, m);
        assertEquals(1, m.findHeader(HeaderName.of("x-rtp-stat"), 0));
        assertEquals(-1, m.findHeader(HeaderName.of("P-RTP-Stat"), 0)); // same length, other name
        assertEquals(-1, m.findHeader(HeaderName.of("X-RTP-Sta"), 0));
        assertEquals(2, m.findHeader(HeaderName.of("Via"), 0)); // compact form
        assertEquals(-1, m.findHeader(HeaderName.of("From"), 0));
        byte[] second = msg("OPTIONS sip:b@x SIP/2.0", "Call-ID: c2", "f: <sip:a@x>", "P-RTP-Stat: PS=2");
        p.parse(second, 0, second.length, m);
        assertEquals(-1, m.findHeader(HeaderName.of("X-RTP-Stat"), 0)); // the first message's, not this one's
        assertEquals(-1, m.findHeader(HeaderName.of("Via"), 0));
        assertEquals(1, m.findHeader(HeaderName.of("from"), 0));
        assertEquals(2, m.findHeader(HeaderName.of("P-RTP-Stat"), 0));
        byte[] longName = msg("OPTIONS sip:b@x SIP/2.0", "Call-ID: c3", "X-" + "a".repeat(70) + ": v");
        p.parse(longName, 0, longName.length, m);
        assertEquals(1, m.findHeader(HeaderName.of("x-" + "A".repeat(70)), 0));
        assertEquals(-1, m.findHeader(HeaderName.of("X-" + "a".repeat(69) + "b"), 0));
    }

    @Test
    void generic_header_lookup() {
        SipMessage m = parse(msg(
                "OPTIONS sip:b@x SIP/2.0",
                "Call-ID: c",
                "X-RTP-Stat: PS=1;OS=2",
                "x-rtp-stat: second",
                "Accept: application/sdp"));
        HeaderName stat = HeaderName.of("X-RTP-Stat");
        int i = m.findHeader(stat, 0);
        assertEquals(1, i);
        assertEquals("PS=1;OS=2", m.headerValue(i));
        assertEquals(2, m.findHeader(stat, i + 1));
        assertEquals(-1, m.findHeader(stat, 3));
        assertEquals("application/sdp", m.header("accept"));
        assertNull(m.header("Missing"));
        assertNull(m.header("bad name"));
        assertNull(m.headerId(1));
        assertThrows(IllegalArgumentException.class, () -> HeaderName.of("a b"));
        assertThrows(IndexOutOfBoundsException.class, () -> m.headerValue(4));
    }

    @Test
    void header_table_is_bounded() {
        String[] lines = new String[40];
        lines[0] = "OPTIONS sip:b@x SIP/2.0";
        for (int i = 1; i < 39; i++) lines[i] = "X-H" + i + ": " + i;
        lines[39] = "Call-ID: late@x";
        SipMessage m = new SipMessage();
        byte[] b = msg(lines);
        new SipParser(null, 8).parse(b, 0, b.length, m);
        assertEquals(SipStatus.OK, m.status());
        assertEquals("late@x", m.callId()); // fields are still extracted beyond the table
        assertEquals(8, m.headerCount());
        assertEquals(31, m.droppedHeaders());
    }

    @Test
    void rtcpxr_call_id() {
        String body = "VQSessionReport: CallTerm\r\nCallID: 6dg37f1890463@example.org\r\nLocalID: <sip:a@x>\r\n";
        SipMessage m = parse(msgWithBody(
                body,
                "PUBLISH sip:collector@192.0.2.30:5060 SIP/2.0",
                "Call-ID: pub-vq-0001@192.0.2.10",
                "Event: vq-rtcpxr",
                "Content-Type: application/vq-rtcpxr",
                "Content-Length: " + body.length()));
        assertEquals(SipMessage.BodyType.VQ_RTCPXR, m.bodyType());
        assertEquals("6dg37f1890463@example.org", m.text(SipField.RTCPXR_CALL_ID));
        assertEquals("pub-vq-0001@192.0.2.10", m.callId());
        assertFalse(m.hasSdp());
    }

    @Test
    void parses_a_slice_and_reads_nothing_outside_it() {
        byte[] inner = msg("OPTIONS sip:b@x SIP/2.0", "Call-ID: inner@x");
        byte[] outer = new byte[inner.length + 40];
        Arrays.fill(outer, (byte) 'Z');
        System.arraycopy(inner, 0, outer, 20, inner.length - 2); // drop the blank line's CRLF
        byte[] tail = bytes("\r\nUser-Agent: outside\r\n\r\n");
        System.arraycopy(tail, 0, outer, 20 + inner.length - 2, Math.min(tail.length, 20));
        SipMessage m = new SipMessage();
        new SipParser().parse(outer, 20, inner.length - 2, m);
        assertEquals("inner@x", m.callId());
        assertFalse(m.headersComplete());
        assertNull(m.userAgent());
        assertEquals(20, m.offset(SipField.START_LINE));
        assertThrows(IndexOutOfBoundsException.class, () -> new SipParser().parse(outer, 20, outer.length, m));
    }

    @Test
    void reuse_leaves_nothing_from_the_previous_message() {
        SipMessage m = new SipMessage();
        SipParser p = new SipParser();
        byte[] a = msgWithBody(
                SDP_BODY, "INVITE sip:b@x SIP/2.0", "Call-ID: a", "User-Agent: UA", "Content-Type: application/sdp");
        p.parse(a, 0, a.length, m);
        assertTrue(m.hasSdp());
        byte[] b = msg("SIP/2.0 180 Ringing", "Call-ID: b");
        p.parse(b, 0, b.length, m);
        assertEquals("b", m.callId());
        assertNull(m.userAgent());
        assertFalse(m.hasSdp());
        assertFalse(m.isRequest());
        assertEquals(1, m.headerCount());
        p.parse(bytes("\r\n"), 0, 2, m);
        assertEquals(SipStatus.NOT_SIP, m.status());
        assertNull(m.callId());
        assertEquals(0, m.statusCode());
    }

    @Test
    void multipart_sdp() {
        String body = "--unique-boundary-1\r\n"
                + "Content-Type: application/isup; version=itu-t92+\r\n\r\n"
                + "\u0001\u0002binary\r\n"
                + "--unique-boundary-1\r\n"
                + "content-type:Application/SDP\r\n\r\n"
                + SDP_BODY
                + "\r\n--unique-boundary-1--\r\n";
        SipMessage m = parse(msgWithBody(
                body,
                "INVITE sip:b@x SIP/2.0",
                "Call-ID: mp",
                "Content-Type: multipart/mixed;boundary=\"unique-boundary-1\"",
                "Content-Length: " + body.length()));
        assertEquals(SipMessage.BodyType.MULTIPART_MIXED, m.bodyType());
        assertTrue(m.hasSdp());
        assertEquals(1, m.sdp().mediaCount());
        assertEquals("192.0.2.10", m.sdp().rtcpAddress(0));
        assertEquals(40001, m.sdp().rtcpPort(0));
        String sdpText = new String(m.buffer(), m.sdp().offset(), m.sdp().length(), StandardCharsets.ISO_8859_1);
        assertEquals(SDP_BODY, sdpText);
    }

    @Test
    void multipart_without_sdp_part_has_no_sdp() {
        String body = "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n";
        SipMessage m = parse(msgWithBody(
                body, "INVITE sip:b@x SIP/2.0", "Call-ID: mp", "Content-Type: multipart/mixed; boundary=b"));
        assertEquals(SipMessage.BodyType.MULTIPART_MIXED, m.bodyType());
        assertFalse(m.hasSdp());
    }

    @Test
    void content_type_any_case_and_spacing() {
        for (String ct : new String[] {
            "c:application/sdp",
            "Content-Type:   APPLICATION/SDP ; charset=utf-8",
            "content-type : application / sdp",
            "CONTENT-TYPE:\tApplication/Sdp"
        }) {
            SipMessage m = parse(msgWithBody(SDP_BODY, "INVITE sip:b@x SIP/2.0", "Call-ID: x", ct));
            assertTrue(m.hasSdp(), ct);
        }
        SipMessage m =
                parse(msgWithBody(SDP_BODY, "INVITE sip:b@x SIP/2.0", "Call-ID: x", "Content-Type: application/sdpx"));
        assertFalse(m.hasSdp());
        assertEquals(SipMessage.BodyType.OTHER, m.bodyType());
    }

    @Test
    void sdp_content_type_with_empty_body_has_no_sdp() {
        SipMessage m = parse(
                msg("INVITE sip:b@x SIP/2.0", "Call-ID: x", "Content-Type: application/sdp", "Content-Length: 0"));
        assertEquals(SipMessage.BodyType.SDP, m.bodyType());
        assertFalse(m.hasSdp());
    }
}
