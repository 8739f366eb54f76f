package org.heptap.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RtcpParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** rtcp-json.md §2.4: SR (1 block) + SDES CNAME. */
    static final String WORKED_EXAMPLE = """
            81 c8 00 0c 11 22 33 44 e9 01 2b 80 80 00 00 00
            00 02 71 00 00 00 00 fa 00 00 9c 40 55 66 77 88
            05 00 00 03 00 01 00 64 00 00 00 2a a3 b1 80 00
            00 01 80 00 81 ca 00 06 11 22 33 44 01 0f 61 6c
            69 63 65 40 31 39 32 2e 30 2e 32 2e 31 00 00 00""";

    private final RtcpCompound c = new RtcpCompound();
    private final RtcpJsonWriter writer = new RtcpJsonWriter(true);

    @Test
    void worked_example_gives_captagents_exact_text() {
        byte[] b = CorpusRtcp.hex(WORKED_EXAMPLE);
        assertEquals(RtcpResult.OK, RtcpParser.parse(b, 0, b.length, c));
        assertEquals(2, c.packetCount());
        int n = writer.write(c);
        String expected =
                "{ \"sender_information\":{\"ntp_timestamp_sec\":3909168000,\"ntp_timestamp_usec\":2147483648,"
                        + "\"octets\":40000,\"rtp_timestamp\":160000, \"packets\":250},\"ssrc\":287454020,\"type\":200, "
                        + "\"report_blocks\":[{\"source_ssrc\":1432778632,\"highest_seq_no\":65636,\"fraction_lost\":5,\"ia_jitter\":42,"
                        + "\"packets_lost\":3,\"lsr\":2746318848,\"dlsr\":98304}],\"report_count\":1,\"sdes_ssrc\":287454020,"
                        + "\"sdes_report_count\":1,\"sdes_information\":[{\"type\":1,\"text\":\"alice@192.0.2.1\"}]}";
        assertEquals(expected, writer.text());
        assertEquals(436, n);
    }

    @Test
    void cumulative_lost_is_signed_and_sdes_text_is_escaped() throws Exception {
        byte[] b = CorpusRtcp.hex("""
                81 c9 00 07 00 00 00 01 00 00 00 02 10 ff ff ff 00 00 00 05 00 00 00 06 00 00 00 07 00 00 00 08
                81 ca 00 03 00 00 00 01 01 04 61 22 5c 01 00 00""");
        assertEquals(RtcpResult.OK, RtcpParser.parse(b, 0, b.length, c));
        writer.write(c);
        JsonNode doc = JSON.readTree(writer.text());
        assertEquals(-1, doc.get("report_blocks").get(0).get("packets_lost").asInt());
        assertEquals(16, doc.get("report_blocks").get(0).get("fraction_lost").asInt());
        assertEquals(
                "a\"\\\u0001", doc.get("sdes_information").get(0).get("text").asText());
    }

    /** rtcp.pcap frame 16's XR VoIP-metrics block (RFC 3611 §4.7): R 93, MOS-LQ 4.4, MOS-CQ 4.3. */
    static final String XR_VOIP = "80 cf 00 0a 1a 2b 3c 4d 07 00 00 08 5e 6f 70 81 01 00 00 03 00 00"
            + " 0f a0 00 28 00 3c f0 b0 7f 10 5d 7f 2c 2b 80 00 00 28 00 50 00 c8";

    private JsonNode parsed(String hex) throws Exception {
        byte[] b = CorpusRtcp.hex(hex);
        assertEquals(RtcpResult.OK, RtcpParser.parse(b, 0, b.length, c));
        int n = writer.write(c);
        assertTrue(n > 0, "a document for " + hex);
        return JSON.readTree(writer.text());
    }

    @Test
    void bye_alone_is_reported_with_its_sources_and_reason() throws Exception {
        JsonNode doc = parsed("82 cb 00 04 00 00 00 09 00 00 00 0a 04 64 6f 6e 65 00 00 00");
        assertEquals(9, doc.get("ssrc").asLong());
        assertEquals(203, doc.get("type").asInt());
        JsonNode bye = doc.get("bye").get(0);
        assertEquals("[9,10]", bye.get("ssrcs").toString());
        assertEquals("done", bye.get("reason").asText());
        assertFalse(parsed("81 cb 00 01 00 00 00 09").get("bye").get(0).has("reason"));
    }

    @Test
    void app_alone_is_reported_with_name_subtype_and_data_length() throws Exception {
        JsonNode doc = parsed("81 cc 00 04 1a 2b 3c 4d 51 4f 53 41 00 00 00 01 00 00 00 02"); // rtcp.pcap frame 14
        assertEquals(204, doc.get("type").asInt());
        JsonNode app = doc.get("app").get(0);
        assertEquals(0x1a2b3c4dL, app.get("ssrc").asLong());
        assertEquals(1, app.get("subtype").asInt());
        assertEquals("QOSA", app.get("name").asText());
        assertEquals(8, app.get("data_length").asInt());
    }

    @Test
    void reduced_size_feedback_packets_are_reported() throws Exception {
        // RFC 5506: a lone RTPFB generic NACK, then a PSFB PLI followed by an SDES (no SR/RR)
        JsonNode nack = parsed("81 cd 00 03 00 00 00 01 00 00 00 02 00 05 00 00");
        assertEquals(205, nack.get("type").asInt());
        assertEquals(
                "{\"type\":205,\"fmt\":1,\"ssrc\":1,\"media_ssrc\":2,\"fci_length\":4}",
                nack.get("feedback").get(0).toString());
        JsonNode pli = parsed("81 ce 00 02 00 00 00 03 00 00 00 04 81 ca 00 02 00 00 00 03 01 01 78 00");
        assertEquals(206, pli.get("type").asInt());
        assertEquals(3, pli.get("ssrc").asLong());
        assertEquals(4, pli.get("feedback").get(0).get("media_ssrc").asLong());
        assertEquals(0, pli.get("feedback").get(0).get("fci_length").asInt());
        assertEquals("x", pli.get("sdes_information").get(0).get("text").asText());
    }

    @Test
    void sr_led_compound_keeps_captagents_opening_and_lists_its_bye() throws Exception {
        String sr = WORKED_EXAMPLE.substring(0, WORKED_EXAMPLE.indexOf("81 ca"));
        JsonNode doc = parsed(sr + " 81 cb 00 01 11 22 33 44");
        assertTrue(writer.text().startsWith("{ \"sender_information\""), writer.text());
        assertEquals(200, doc.get("type").asInt());
        assertEquals("[287454020]", doc.get("bye").get(0).get("ssrcs").toString());
    }

    @Test
    void xr_alone_is_reported_and_its_quality_read() throws Exception {
        JsonNode doc = parsed(XR_VOIP);
        assertEquals(207, doc.get("type").asInt());
        assertEquals(0x1a2b3c4dL, doc.get("ssrc").asLong());
        assertEquals(7, doc.get("report_blocks_xr").get(0).get("block_type").asInt());
        int x = XrQuality.voipMetricsBlock(c);
        assertEquals(430, XrQuality.mosTimes100(c, x), "MOS-CQ first");
        assertEquals(93, XrQuality.rFactor(c, x));
        // without XR blocks in the JSON, a lone XR has nothing to say
        assertEquals(0, new RtcpJsonWriter(false).write(c));
    }

    @Test
    void unavailable_mos_cq_falls_back_to_mos_lq_and_127_is_no_value() {
        byte[] b = CorpusRtcp.hex(XR_VOIP);
        b[8 + 27] = 127; // MOS-CQ unavailable
        assertEquals(RtcpResult.OK, RtcpParser.parse(b, 0, b.length, c));
        int x = XrQuality.voipMetricsBlock(c);
        assertEquals(440, XrQuality.mosTimes100(c, x));
        b[8 + 26] = 127;
        b[8 + 24] = 127;
        assertEquals(-1, XrQuality.mosTimes100(c, x));
        assertEquals(-1, XrQuality.rFactor(c, x));
        byte[] rr = CorpusRtcp.hex("80 c9 00 01 00 00 00 01");
        RtcpParser.parse(rr, 0, rr.length, c);
        assertEquals(-1, XrQuality.voipMetricsBlock(c));
    }

    @Test
    void empty_rr_and_unknown_types_alone_have_no_content() {
        for (String hex : new String[] {"80 c9 00 01 00 00 00 01", "80 d2 00 01 00 00 00 01"}) {
            byte[] b = CorpusRtcp.hex(hex);
            assertEquals(RtcpResult.OK, RtcpParser.parse(b, 0, b.length, c), hex);
            assertEquals(0, writer.write(c), hex);
        }
    }

    @Test
    void truncated_or_malformed_bye_app_feedback_and_xr_are_rejected() {
        String[][] bad = {
            {"81 cb 00 00", "BYE without room for its source"},
            {"81 cb 00 02 00 00 00 09 05 61 62 63", "BYE reason longer than the packet"},
            {"81 cc 00 01 00 00 00 01", "APP without its name"},
            {"81 cd 00 01 00 00 00 01", "RTPFB without media SSRC"},
            {"81 ce 00 01 00 00 00 01", "PSFB without media SSRC"},
            {"80 cf 00 00", "XR without SSRC"},
            {"80 cf 00 02 00 00 00 01 07 00 00 08", "XR block past the packet"},
        };
        for (String[] k : bad) {
            byte[] b = CorpusRtcp.hex(k[0]);
            assertEquals(RtcpResult.BAD_LENGTH, RtcpParser.parse(b, 0, b.length, c), k[1]);
        }
        byte[] cut = CorpusRtcp.hex("81 cd 00 03 00 00 00 01 00 00 00 02");
        assertEquals(RtcpResult.TRUNCATED, RtcpParser.parse(cut, 0, cut.length, c), "length field past the datagram");
        byte[] xr = CorpusRtcp.hex(XR_VOIP);
        for (int n = 1; n < xr.length; n++) {
            assertTrue(RtcpParser.parse(xr, 0, n, c) != RtcpResult.OK, "XR cut to " + n + " bytes");
        }
    }

    @Test
    void rtcp_malformed_pcap_frames_1_to_3_rejected_4_to_6_parsed() throws Exception {
        List<CorpusRtcp.Datagram> ds = CorpusRtcp.read("rtcp-malformed.pcap");
        assertEquals(6, ds.size());
        Map<Integer, RtcpResult> want =
                Map.of(1, RtcpResult.TRUNCATED, 2, RtcpResult.TRUNCATED, 3, RtcpResult.TRUNCATED);
        for (CorpusRtcp.Datagram d : ds) {
            RtcpResult r = RtcpParser.parse(d.payload(), 0, d.payload().length, c);
            assertEquals(want.getOrDefault(d.frame(), RtcpResult.OK), r, "frame " + d.frame());
            if (r == RtcpResult.OK) {
                assertTrue(writer.write(c) > 0, "frame " + d.frame());
                JSON.readTree(writer.text());
            }
        }
    }

    @Test
    void rtcp_only_pcap_every_compound_is_valid_and_xr_voip_metrics_are_read() throws Exception {
        List<CorpusRtcp.Datagram> ds = CorpusRtcp.read("rtcp-only.pcap");
        assertEquals(7, ds.size());
        int xr = 0;
        for (CorpusRtcp.Datagram d : ds) {
            assertEquals(RtcpResult.OK, RtcpParser.parse(d.payload(), 0, d.payload().length, c), "frame " + d.frame());
            if (writer.write(c) > 0) {
                JsonNode doc = JSON.readTree(writer.text());
                if (doc.has("report_blocks_xr")) {
                    JsonNode v = doc.get("report_blocks_xr").get(0);
                    assertEquals(7, v.get("block_type").asInt());
                    assertTrue(v.has("mos_lq") && v.has("round_trip_delay"), v.toString());
                    xr++;
                }
            }
        }
        assertEquals(2, xr, "frames 4 and 5 carry an XR VoIP-metrics block");
        // frame 2: RR + SDES with CNAME and TOOL — every item is listed
        CorpusRtcp.Datagram d2 = ds.get(1);
        RtcpParser.parse(d2.payload(), 0, d2.payload().length, c);
        writer.write(c);
        JsonNode items = JSON.readTree(writer.text()).get("sdes_information");
        assertEquals(2, items.size());
        assertEquals(6, items.get(1).get("type").asInt());
    }

    @Test
    void rtcpxr_voip_metrics_document_is_valid_json_with_signed_levels() throws Exception {
        List<CorpusRtcp.Datagram> ds = CorpusRtcp.read("rtcp-only.pcap");
        CorpusRtcp.Datagram d = ds.get(4); // frame 5: XR alone
        assertEquals(RtcpResult.OK, RtcpParser.parse(d.payload(), 0, d.payload().length, c));
        assertTrue(writer.writeVoipMetrics(c) > 0);
        JsonNode x = JSON.readTree(writer.text()).get("Extended_report_information");
        assertTrue(x.get("signal_lev").asInt() <= 0, "signal level is negative dBm: " + x);
        assertEquals(1, x.get("RX_conf").size());
    }

    @Test
    void lengths_that_do_not_fit_are_rejected() {
        assertEquals(RtcpResult.EMPTY, RtcpParser.parse(new byte[0], 0, 0, c));
        assertEquals(RtcpResult.BAD_VERSION, RtcpParser.parse(CorpusRtcp.hex("41 c8 00 00"), 0, 4, c));
        assertEquals(RtcpResult.TOO_SHORT, RtcpParser.parse(CorpusRtcp.hex("81 c9"), 0, 2, c));
        // RR says one report block but its length only holds the SSRC
        assertEquals(RtcpResult.BAD_LENGTH, RtcpParser.parse(CorpusRtcp.hex("81 c9 00 01 00 00 00 01"), 0, 8, c));
        // SDES item length runs past the packet
        assertEquals(
                RtcpResult.BAD_LENGTH,
                RtcpParser.parse(CorpusRtcp.hex("81 ca 00 02 00 00 00 01 01 09 61 00"), 0, 12, c));
        // padding count larger than the packet
        assertEquals(
                RtcpResult.BAD_LENGTH,
                RtcpParser.parse(CorpusRtcp.hex("a0 c9 00 01 00 00 00 01 00 00 00 20"), 0, 12, c));
        // XR VoIP metrics block shorter than 36 bytes
        assertEquals(
                RtcpResult.BAD_LENGTH,
                RtcpParser.parse(CorpusRtcp.hex("80 cf 00 02 00 00 00 01 07 00 00 00"), 0, 12, c));
    }
}
