package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RtpReportWriterTest {
    private final RtpHeader h = new RtpHeader();
    private final RtpStreamStats s = new RtpStreamStats();
    private final byte[] pkt = new byte[172];

    private void feed(int seq, long micros) {
        pkt[0] = (byte) 0x80;
        pkt[2] = (byte) (seq >> 8);
        pkt[3] = (byte) seq;
        long ts = 160L * seq;
        pkt[6] = (byte) (ts >> 8);
        pkt[7] = (byte) ts;
        pkt[11] = 5;
        assertEquals(RtpResult.RTP, RtpHeaderParser.parse(pkt, 0, pkt.length, h));
        s.add(h, micros, pkt.length);
    }

    @Test
    void a_report_has_every_key_rtp_compare_and_heplify_server_read() throws Exception {
        s.reset(5, PayloadTypes.STATIC);
        for (int i = 0; i < 100; i++) if (i != 50) feed(i, 1_000_000L + 20_000L * i + (i == 60 ? 4_000 : 0));
        RtpReportWriter w = new RtpReportWriter();
        JsonNode doc = new ObjectMapper()
                .readTree(w.write(s, "192.0.2.10", 40000, "2001:db8::20", 50000, -1, true)
                        .toString());
        assertEquals("192.0.2.10", doc.get("src_ip").asText());
        assertEquals(40000, doc.get("src_port").asInt());
        assertEquals("2001:db8::20", doc.get("dst_ip").asText());
        assertEquals(50000, doc.get("dst_port").asInt());
        assertEquals(5, doc.get("ssrc").asLong());
        assertEquals(0, doc.get("payload_type").asInt());
        assertEquals("PCMU", doc.get("codec").asText());
        assertEquals(8000, doc.get("clock_rate").asInt());
        assertEquals(99, doc.get("packets").asInt());
        assertEquals(1, doc.get("lost").asInt());
        assertEquals(0, doc.get("duplicates").asInt());
        assertEquals(0, doc.get("out_of_order").asInt());
        assertEquals(s.maxDeltaMs(), doc.get("max_delta_ms").asDouble(), 0.0005);
        assertEquals(s.meanJitterMs(), doc.get("mean_jitter_ms").asDouble(), 0.0005);
        assertEquals(s.maxJitterMs(), doc.get("max_jitter_ms").asDouble(), 0.0005);
        double r = EModel.rFactor(EModel.Codec.G711, 1.0, s.meanJitterMs(), -1);
        assertEquals(r, doc.get("r_factor").asDouble(), 0.0005);
        assertEquals(EModel.mos(r), doc.get("mos").asDouble(), 0.0005);
        assertFalse(doc.get("delay_known").asBoolean());
        assertEquals(1_000_000L, doc.get("start").asLong());
        assertEquals(1_000_000L + 20_000L * 99, doc.get("end").asLong());
        assertTrue(doc.get("final").asBoolean());
        assertEquals(doc.get("mos").asDouble(), doc.get("MOS").asDouble(), 0);
        assertEquals(doc.get("max_delta_ms").asDouble(), doc.get("DELTA").asDouble(), 0);
        assertEquals(doc.get("mean_jitter_ms").asDouble(), doc.get("JITTER").asDouble(), 0);
        assertEquals(1.0, doc.get("PACKET_LOSS").asDouble(), 0.0005);
    }

    @Test
    void an_interval_report_is_not_final_and_a_known_rtt_is_said() throws Exception {
        s.reset(5, PayloadTypes.STATIC);
        feed(1, 0);
        feed(2, 20_000);
        JsonNode doc = new ObjectMapper()
                .readTree(new RtpReportWriter()
                        .write(s, "a\"b", 1, "c", 2, 80, false)
                        .toString());
        assertFalse(doc.get("final").asBoolean());
        assertTrue(doc.get("delay_known").asBoolean());
        assertEquals("a\"b", doc.get("src_ip").asText());
        assertEquals(93.2 - 0.024 * 40, doc.get("r_factor").asDouble(), 0.0005);
    }
}
