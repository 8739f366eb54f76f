package org.heptap.sip;

import static org.heptap.sip.Sip.msg;
import static org.heptap.sip.Sip.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipReplyBuilderTest {
    private final SipReplyBuilder builder = new SipReplyBuilder("heptap", 42L);

    private static final byte[] PUBLISH = msg(
            "PUBLISH sip:collector@192.0.2.30:5060 SIP/2.0",
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-pub1",
            "v: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK-proxy",
            "From: <sip:alice@example.org>;tag=pb1",
            "To: <sip:collector@example.org>",
            "Call-ID: pub-vq-0001@192.0.2.10",
            "CSeq: 1 PUBLISH",
            "Contact: <sip:alice@192.0.2.10:5060>",
            "Event: vq-rtcpxr",
            "Content-Length: 0");

    private String reply(SipMessage m, int code, String reason) {
        return new String(builder.build(m, code, reason), StandardCharsets.UTF_8);
    }

    @Test
    void ok_reply_to_publish() {
        SipMessage m = parse(PUBLISH);
        String tag = builder.toTag(m);
        assertEquals(16, tag.length());
        assertEquals(
                "SIP/2.0 200 OK\r\n"
                        + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-pub1\r\n"
                        + "Via: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK-proxy\r\n"
                        + "From: <sip:alice@example.org>;tag=pb1\r\n"
                        + "To: <sip:collector@example.org>;tag=" + tag + "\r\n"
                        + "Contact: <sip:alice@192.0.2.10:5060>\r\n"
                        + "Call-ID: pub-vq-0001@192.0.2.10\r\n"
                        + "CSeq: 1 PUBLISH\r\n"
                        + "User-Agent: heptap\r\n"
                        + "Content-Length: 0\r\n\r\n",
                reply(m, 200, "OK"));
    }

    @Test
    void reply_parses_back_as_the_matching_response() {
        SipMessage req = parse(PUBLISH);
        byte[] r = builder.build(req, 503, "Server internal error");
        SipMessage resp = parse(r);
        assertEquals(SipStatus.OK, resp.status());
        assertEquals(503, resp.statusCode());
        assertEquals("Server internal error", resp.text(SipField.REASON));
        assertEquals(req.callId(), resp.callId());
        assertEquals("PUBLISH", resp.cseqMethod());
        assertEquals(2, resp.viaCount());
        assertEquals(builder.toTag(req), resp.text(SipField.TO_TAG));
        assertEquals("pb1", resp.text(SipField.FROM_TAG));
    }

    @Test
    void to_tag_is_stable_per_dialog_and_differs_between_dialogs() {
        SipMessage a = parse(PUBLISH);
        String tagA = builder.toTag(a);
        assertEquals(tagA, builder.toTag(parse(PUBLISH)));
        String other = new String(PUBLISH, StandardCharsets.ISO_8859_1).replace("pub-vq-0001", "pub-vq-0002");
        assertNotEquals(tagA, builder.toTag(parse(other.getBytes(StandardCharsets.ISO_8859_1))));
        assertNotEquals(tagA, new SipReplyBuilder("heptap", 43L).toTag(a));
    }

    @Test
    void existing_to_tag_is_kept_and_100_gets_none() {
        SipMessage m = parse(msg(
                "BYE sip:b@x SIP/2.0",
                "Via: SIP/2.0/UDP h;branch=z9hG4bK-1",
                "From: <sip:a@x>;tag=1",
                "To: <sip:b@x>;tag=2",
                "Call-ID: c",
                "CSeq: 2 BYE"));
        assertTrue(reply(m, 200, "OK").contains("\r\nTo: <sip:b@x>;tag=2\r\n"));
        SipMessage n = parse(msg(
                "INVITE sip:b@x SIP/2.0", "From: <sip:a@x>;tag=1", "To: <sip:b@x>", "Call-ID: c", "CSeq: 1 INVITE"));
        String trying = reply(n, 100, "Trying");
        assertTrue(trying.contains("\r\nTo: <sip:b@x>\r\n"));
        assertTrue(!trying.contains("Contact:") && !trying.contains("Via:"));
    }

    @Test
    void no_reply_to_responses_or_failed_parses() {
        assertNull(builder.build(parse(msg("SIP/2.0 200 OK", "Call-ID: c")), 200, "OK"));
        assertNull(builder.build(parse(msg("OPTIONS sip:b@x SIP/2.0")), 200, "OK"));
    }

    @Test
    void bad_arguments_are_rejected() {
        SipMessage m = parse(PUBLISH);
        assertThrows(IllegalArgumentException.class, () -> builder.build(m, 99, "x"));
        assertThrows(IllegalArgumentException.class, () -> builder.build(m, 700, "x"));
        assertThrows(IllegalArgumentException.class, () -> builder.build(m, 200, "OK\r\nX-Injected: 1"));
        assertEquals("SIP/2.0 200\r\n", reply(m, 200, "").substring(0, 13));
    }
}
