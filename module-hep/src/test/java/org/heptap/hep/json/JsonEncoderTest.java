package org.heptap.hep.json;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import org.heptap.core.message.Message;
import org.heptap.core.spi.MessageFieldWriter;
import org.heptap.hep.TestMessages;
import org.junit.jupiter.api.Test;

class JsonEncoderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

    private static JsonEncoder encoder(JsonSettings s, boolean stream) {
        return new JsonEncoder(s, 65507, stream);
    }

    private JsonNode encodeAndParse(JsonEncoder e, Message m) throws Exception {
        ByteBuf buf = e.encode(m, alloc);
        assertNotNull(buf);
        try {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            return MAPPER.readTree(b);
        } finally {
            buf.release();
        }
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    @Test
    void ipv4DocumentHasEveryCaptagentKeyWithItsType() throws Exception {
        JsonSettings s = new JsonSettings(2001, true, List.of());
        long before = System.currentTimeMillis() / 1000;
        JsonNode d = encodeAndParse(encoder(s, false), TestMessages.sipV4());
        long after = System.currentTimeMillis() / 1000;
        assertEquals(
                List.of(
                        "packet_id",
                        "my_time",
                        "ip_family",
                        "ip_proto",
                        "src_ip4",
                        "dst_ip4",
                        "src_port",
                        "dst_port",
                        "tss",
                        "tsu",
                        "payload",
                        "proto_type",
                        "capt_id"),
                keys(d));
        assertTrue(d.get("packet_id").isTextual(), "captagent sends packet_id as a string");
        assertEquals("1", d.get("packet_id").asText());
        assertTrue(d.get("my_time").asLong() >= before && d.get("my_time").asLong() <= after);
        assertEquals(2, d.get("ip_family").asInt());
        assertEquals(17, d.get("ip_proto").asInt());
        assertEquals("192.0.2.10", d.get("src_ip4").asText());
        assertEquals("192.0.2.20", d.get("dst_ip4").asText());
        assertEquals(5060, d.get("src_port").asInt());
        assertEquals(5060, d.get("dst_port").asInt());
        assertEquals(1_700_000_000L, d.get("tss").asLong());
        assertEquals(123_456, d.get("tsu").asInt());
        assertEquals(TestMessages.OPTIONS, d.get("payload").asText());
        assertEquals(1, d.get("proto_type").asInt());
        assertEquals(2001, d.get("capt_id").asLong());
        assertTrue(d.get("tss").isIntegralNumber()
                && d.get("capt_id").isIntegralNumber()
                && d.get("src_port").isIntegralNumber());
    }

    @Test
    void ipv6UsesTheIp6KeysAndFamily10() throws Exception {
        JsonNode d = encodeAndParse(encoder(new JsonSettings(7, true, List.of()), false), TestMessages.sipV6());
        assertEquals(10, d.get("ip_family").asInt());
        assertEquals("2001:db8::10", d.get("src_ip6").asText());
        assertEquals("2001:db8::20", d.get("dst_ip6").asText());
        assertNull(d.get("src_ip4"));
        assertNull(d.get("dst_ip4"));
    }

    @Test
    void payloadSendFalseLeavesThePayloadOut() throws Exception {
        JsonNode d = encodeAndParse(encoder(new JsonSettings(1, false, List.of()), false), TestMessages.sipV4());
        assertNull(d.get("payload"));
        assertNull(d.get("payload_base64"));
        assertEquals("192.0.2.10", d.get("src_ip4").asText());
    }

    @Test
    void correlationIdAndProtocolType() throws Exception {
        JsonNode d =
                encodeAndParse(encoder(new JsonSettings(1, true, List.of()), false), TestMessages.rtcpV4("{\"a\":1}"));
        assertEquals("c1@192.0.2.10", d.get("corr_id").asText());
        assertEquals(5, d.get("proto_type").asInt());
        assertEquals("{\"a\":1}", d.get("payload").asText(), "a JSON payload travels as a string, escaped");
    }

    @Test
    void packetIdCountsPerProfileAcrossEncoders() throws Exception {
        JsonSettings s = new JsonSettings(1, true, List.of());
        JsonEncoder a = encoder(s, false);
        JsonEncoder b = encoder(s, true);
        assertEquals(
                "1", encodeAndParse(a, TestMessages.sipV4()).get("packet_id").asText());
        assertEquals(
                "2", encodeAndParse(b, TestMessages.sipV4()).get("packet_id").asText());
        assertEquals(
                "3", encodeAndParse(a, TestMessages.sipV4()).get("packet_id").asText());
    }

    @Test
    void aStreamRecordIsOneLineAndADatagramHasNoNewline() throws Exception {
        JsonSettings s = new JsonSettings(1, true, List.of());
        String payload = "INVITE sip:x SIP/2.0\r\nCall-ID: a\"b\\c\r\n\r\nv=0\n";
        Message m = TestMessages.sip(4, payload);
        ByteBuf line = encoder(s, true).encode(m, alloc);
        String text = line.toString(StandardCharsets.UTF_8);
        line.release();
        assertTrue(text.endsWith("}\n"), text);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), "newlines inside the payload are escaped");
        assertEquals(payload, MAPPER.readTree(text).get("payload").asText());
        ByteBuf datagram = encoder(s, false).encode(m, alloc);
        assertTrue(datagram.toString(StandardCharsets.UTF_8).endsWith("}"));
        datagram.release();
    }

    @Test
    void utf8PayloadIsKeptAndInvalidBytesAlsoGoAsBase64() throws Exception {
        JsonSettings s = new JsonSettings(1, true, List.of());
        String utf8 = "MESSAGE sip:x SIP/2.0\r\nFrom: \"Zoë Straße 東京\" <sip:z@x>\r\n\r\n";
        JsonNode ok = encodeAndParse(encoder(s, false), TestMessages.sip(4, utf8));
        assertEquals(utf8, ok.get("payload").asText());
        assertNull(ok.get("payload_base64"));
        assertEquals(0, s.notUtf8());

        byte[] bad = {'S', 'I', 'P', ' ', (byte) 0xff, (byte) 0xc3, '\r', '\n'};
        Message m = TestMessages.sip(4, "x");
        m.setPayload(bad, 0, bad.length);
        JsonNode d = encodeAndParse(encoder(s, false), m);
        assertEquals("SIP \uFFFD\uFFFD\r\n", d.get("payload").asText());
        assertArrayEquals(
                bad, Base64.getDecoder().decode(d.get("payload_base64").asText()));
        assertEquals(1, s.notUtf8());
    }

    @Test
    void messageWithoutIpLayerIsIpv4ZeroAddresses() throws Exception {
        Message m = new Message();
        m.reset();
        m.setPayload("hello".getBytes(StandardCharsets.US_ASCII), 0, 5);
        JsonNode d = encodeAndParse(encoder(new JsonSettings(1, true, List.of()), false), m);
        assertEquals(2, d.get("ip_family").asInt());
        assertEquals("0.0.0.0", d.get("src_ip4").asText());
        assertEquals("0.0.0.0", d.get("dst_ip4").asText());
    }

    @Test
    void moduleWritersAddTheirKeysAfterTheCoreOnes() throws Exception {
        MessageFieldWriter sipLike = (m, f) -> {
            byte[] b = "xxc1@192.0.2.10yy".getBytes(StandardCharsets.US_ASCII);
            f.text("sip_callid", b, 2, 13);
            f.text("sip_method", "OPTIONS");
            f.number("sip_response", 200);
            f.text("sip_from_uri", new byte[] {'a', (byte) 0xfe}, 0, 2); // not UTF-8: replaced, still valid JSON
        };
        MessageFieldWriter silent = (m, f) -> {};
        JsonNode d = encodeAndParse(
                encoder(new JsonSettings(1, true, List.of(silent, sipLike)), false), TestMessages.sipV4());
        List<String> k = keys(d);
        assertEquals(
                List.of("sip_callid", "sip_method", "sip_response", "sip_from_uri"),
                k.subList(k.indexOf("capt_id") + 1, k.size()));
        assertEquals("c1@192.0.2.10", d.get("sip_callid").asText());
        assertEquals("OPTIONS", d.get("sip_method").asText());
        assertEquals(200, d.get("sip_response").asInt());
        assertEquals("a\uFFFD", d.get("sip_from_uri").asText());
    }

    @Test
    void aDocumentLargerThanTheLimitIsNotMadeAndTheNextOneIs() throws Exception {
        JsonSettings s = new JsonSettings(1, true, List.of());
        JsonEncoder small = new JsonEncoder(s, 600, false);
        Message big = TestMessages.sip(4, "x".repeat(2000));
        assertNull(small.encode(big, alloc));
        assertTrue(small.encodedLength(big) > 600);
        JsonNode d = encodeAndParse(small, TestMessages.sipV4());
        assertEquals(TestMessages.OPTIONS, d.get("payload").asText(), "a failed document leaves no trace in the next");
    }

    @Test
    void utf8Validation() {
        assertTrue(Utf8.isValid(new byte[0], 0, 0));
        assertTrue(Utf8.isValid(
                "aé€😀".getBytes(StandardCharsets.UTF_8), 0, "aé€😀".getBytes(StandardCharsets.UTF_8).length));
        assertFalse(Utf8.isValid(new byte[] {(byte) 0xc0, (byte) 0x80}, 0, 2), "overlong");
        assertFalse(Utf8.isValid(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, 0, 3), "surrogate");
        assertFalse(Utf8.isValid(new byte[] {(byte) 0xe2, (byte) 0x82}, 0, 2), "truncated");
        assertFalse(
                Utf8.isValid(new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 0, 4), "above U+10FFFF");
        assertTrue(Utf8.isValid(new byte[] {'x', (byte) 0xff, 'a'}, 2, 1), "only the slice counts");
    }
}
