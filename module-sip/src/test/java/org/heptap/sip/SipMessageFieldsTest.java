package org.heptap.sip;

import static org.heptap.sip.Sip.msg;
import static org.heptap.sip.Sip.msgWithBody;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heptap.core.message.Message;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.MessageFieldWriter;
import org.heptap.core.spi.PlanFunction;
import org.junit.jupiter.api.Test;

/** The sip_* keys of send_json documents, through the module's exported writer and the real parse_sip. */
class SipMessageFieldsTest {
    private static final byte[] INVITE = msgWithBody(
            Sip.sdp("v=0", "c=IN IP4 192.0.2.10", "m=audio 40000 RTP/AVP 0"),
            "INVITE sip:+4930123@gw.example.org;user=phone SIP/2.0",
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1",
            "From: \"Alice\" <sip:alice@example.org>;tag=a1",
            "To: <sip:+4930123@example.org>",
            "Call-ID: call-1@192.0.2.10",
            "CSeq: 7 INVITE",
            "P-Asserted-Identity: \"Alice\" <sip:+4930999@example.org;user=phone>, <tel:+4930999>",
            "Content-Type: application/sdp");

    private static final byte[] RINGING = msg(
            "SIP/2.0 180 Ringing",
            "Call-ID: call-1@192.0.2.10",
            "CSeq: 7 INVITE",
            "From: <sip:alice@example.org>;tag=a1",
            "To: sip:+4930123@example.org;tag=b1");

    private final SipModule module = new SipModule();
    private final MessageFieldWriter writer = module.messageFields().get(0);
    private final Message message = new Message();

    /** What the writer wrote, as the transport would get it. */
    private static final class Recorded implements MessageFieldWriter.Fields {
        final Map<String, Object> fields = new LinkedHashMap<>();

        @Override
        public void text(String key, byte[] buf, int off, int len) {
            assertNull(fields.put(key, new String(buf, off, len, StandardCharsets.UTF_8)), "key twice: " + key);
        }

        @Override
        public void text(String key, String value) {
            assertNull(fields.put(key, value), "key twice: " + key);
        }

        @Override
        public void number(String key, long value) {
            assertNull(fields.put(key, value), "key twice: " + key);
        }
    }

    private Message packet(byte[] payload) {
        message.reset();
        message.setPayload(payload, 0, payload.length);
        return message;
    }

    private int parseSip(Message m) {
        PlanFunction f = module.functions().stream()
                .filter(x -> x.name().equals("parse_sip"))
                .findFirst()
                .orElseThrow();
        BoundCall call = f.bind(List.of(), new FakeBindContext());
        return call.invoke(m);
    }

    private Map<String, Object> fields(Message m) {
        Recorded r = new Recorded();
        writer.write(m, r);
        return r.fields;
    }

    @Test
    void requestAfterParseSip() {
        Message m = packet(INVITE);
        assertEquals(1, parseSip(m));
        Map<String, Object> f = fields(m);
        assertEquals(
                List.of(
                        "sip_callid",
                        "sip_method",
                        "sip_cseq",
                        "sip_from_uri",
                        "sip_to_uri",
                        "sip_request_uri",
                        "sip_pai_user",
                        "sip_sdp"),
                List.copyOf(f.keySet()));
        assertEquals("call-1@192.0.2.10", f.get("sip_callid"));
        assertEquals("INVITE", f.get("sip_method"));
        assertEquals("INVITE", f.get("sip_cseq"), "captagent's sip_cseq is the CSeq method");
        assertEquals("sip:alice@example.org", f.get("sip_from_uri"));
        assertEquals("sip:+4930123@example.org", f.get("sip_to_uri"));
        assertEquals("sip:+4930123@gw.example.org;user=phone", f.get("sip_request_uri"));
        assertEquals("+4930999", f.get("sip_pai_user"));
        assertEquals(1L, f.get("sip_sdp"));
    }

    @Test
    void responseHasTheStatusCodeAsANumberAndNoMethod() {
        Message m = packet(RINGING);
        assertEquals(1, parseSip(m));
        Map<String, Object> f = fields(m);
        assertEquals(180L, f.get("sip_response"));
        assertNull(f.get("sip_method"));
        assertNull(f.get("sip_request_uri"));
        assertNull(f.get("sip_pai_user"));
        assertNull(f.get("sip_sdp"));
        assertEquals("sip:+4930123@example.org", f.get("sip_to_uri"), "a bare To URI stops at its parameters");
    }

    @Test
    void noSipKeysWithoutASuccessfulParseOfThisPacket() {
        Message m = packet(INVITE);
        assertEquals(Map.of(), fields(m), "not parsed by the plan");
        assertEquals(1, parseSip(m));
        assertFalse(fields(m).isEmpty());
        Message next = packet("\u0080\u0001 RTP-ish bytes".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(Map.of(), fields(next), "a new packet does not see the last one's SIP");
        assertEquals(-1, parseSip(next));
        assertEquals(Map.of(), fields(next), "not SIP");
    }

    @Test
    void assertedIdentityUserOfEachUriForm() {
        String[][] cases = {
            {"<tel:+12125551212;phone-context=x>", "+12125551212"},
            {"sip:bob@example.org;user=phone", "bob"},
            {"\"Bob\" <sips:bob:secret@example.org>", "bob"},
            {"<sip:example.org>", null},
        };
        for (String[] c : cases) {
            Message m = packet(
                    msg("OPTIONS sip:x@y SIP/2.0", "Call-ID: c", "CSeq: 1 OPTIONS", "P-Asserted-Identity: " + c[0]));
            assertEquals(1, parseSip(m), c[0]);
            assertEquals(c[1], fields(m).get("sip_pai_user"), c[0]);
        }
    }
}
