package org.heptap.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        String expected = "{ \"sender_information\":{\"ntp_timestamp_sec\":3909168000,\"ntp_timestamp_usec\":2147483648,"
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
        assertEquals("a\"\\\u0001", doc.get("sdes_information").get(0).get("text").asText());
    }

    @Test
    void bye_or_app_alone_has_no_content() {
        byte[] b = CorpusRtcp.hex("81 cb 00 01 00 00 00 09");
        assertEquals(RtcpResult.OK, RtcpParser.parse(b, 0, b.length, c));
        assertEquals(0, writer.write(c));
    }

    @Test
    void rtcp_malformed_pcap_frames_1_to_3_rejected_4_to_6_parsed() throws Exception {
        List<CorpusRtcp.Datagram> ds = CorpusRtcp.read("rtcp-malformed.pcap");
        assertEquals(6, ds.size());
        Map<Integer, RtcpResult> want = Map.of(1, RtcpResult.TRUNCATED, 2, RtcpResult.TRUNCATED, 3, RtcpResult.TRUNCATED);
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
        assertEquals(RtcpResult.BAD_LENGTH, RtcpParser.parse(CorpusRtcp.hex("81 ca 00 02 00 00 00 01 01 09 61 00"), 0, 12, c));
        // padding count larger than the packet
        assertEquals(RtcpResult.BAD_LENGTH, RtcpParser.parse(CorpusRtcp.hex("a0 c9 00 01 00 00 00 01 00 00 00 20"), 0, 12, c));
        // XR VoIP metrics block shorter than 36 bytes
        assertEquals(RtcpResult.BAD_LENGTH, RtcpParser.parse(CorpusRtcp.hex("80 cf 00 02 00 00 00 01 07 00 00 00"), 0, 12, c));
    }
}
