package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * RTCP and call quality through bin/heptap (quick flags: SIP + RTCP sockets) to hep-sink:
 * correlated type-5 RTCP JSON checked against tshark with rtcp-compare, malformed RTCP counted,
 * NAT matching, end-of-call statistics headers as type-34 reports.
 */
@Offline
class RtcpIT {

    private static QuickReplay run(String capture, String... extra) throws Exception {
        return QuickReplay.run(capture, extra);
    }

    private static List<JsonNode> ofType(List<JsonNode> got, int type) {
        return got.stream().filter(m -> m.get("payloadType").asInt() == type).toList();
    }

    /** The module's final counter line as name → value. */
    private static Map<String, Long> rtcpCounters(QuickReplay r) {
        Map<String, Long> c = r.moduleCounters("rtcp");
        assertFalse(c.isEmpty(), "no module rtcp counters in: " + r.agent().stderr());
        return c;
    }

    @Test
    void every_rtcp_report_of_both_calls_is_correlated_and_matches_tshark() throws Exception {
        QuickReplay r = run("rtcp.pcap");
        List<JsonNode> rtcp = ofType(r.got(), 5);
        // SR/RR-led compounds 12, 13, 15, 17 (call 1), 32, 33, 34 (call 2, rtcp-mux), and the
        // reports that start with APP (14), XR (16) and BYE (18)
        assertEquals(10, rtcp.size(), rtcp.toString());
        assertEquals(14, ofType(r.got(), 1).size(), "SIP still delivered");
        Proc cmp = Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        Env.tool("rtcp-compare").toString(),
                        r.sink().out.toString(),
                        Env.corpus("rtcp.pcap").toString(),
                        "12,13,14,15,16,17,18,32,33,34",
                        "1-30=rtcp-call-1@example.org;31-36=rtcp-call-2-mux@example.org"));
        assertEquals(0, cmp.exitCode(), "rtcp-compare: " + cmp.stdout() + cmp.stderr());
        assertTrue(cmp.stdout().startsWith("ok 10 RTCP frames in tshark, 10 type-5"), cmp.stdout());
        Map<Integer, JsonNode> byType = new TreeMap<>();
        for (JsonNode m : rtcp) {
            JsonNode doc = read(m);
            int type = doc.path("type").asInt(201); // an RR without report blocks writes no type
            if (type == 200 || type == 201) assertTrue(doc.has("sdes_information"), "SDES CNAME present: " + doc);
            byType.putIfAbsent(type, doc);
        }
        assertEquals("QOSA", byType.get(204).get("app").get(0).get("name").asText(), byType.toString());
        assertEquals(
                0x5e6f7081L,
                byType.get(203).get("bye").get(0).get("ssrcs").get(0).asLong(),
                byType.toString());
        assertEquals(
                7,
                byType.get(207).get("report_blocks_xr").get(0).get("block_type").asInt(),
                byType.toString());
        assertQualityChunks(rtcp, 2);
    }

    /**
     * Every type-5 message with an XR VoIP-metrics block carries its MOS-CQ x 100 in chunk
     * 0x0020 and its R-factor in 0x0021; no other message has them.
     */
    private static void assertQualityChunks(List<JsonNode> rtcp, int voipReports) {
        int seen = 0;
        for (JsonNode m : rtcp) {
            JsonNode xr = read(m).path("report_blocks_xr");
            JsonNode voip = null;
            for (JsonNode b : xr) if (b.get("block_type").asInt() == 7) voip = b;
            if (voip == null) {
                assertFalse(m.has("mosChunk") || m.has("rFactorChunk"), m.toString());
                continue;
            }
            seen++;
            assertEquals(
                    Math.round(voip.get("mos_cq").asDouble() * 100),
                    m.path("mosChunk").asLong(),
                    m.toString());
            assertEquals(voip.get("r_factor").asInt(), m.path("rFactorChunk").asInt(-1), m.toString());
        }
        assertEquals(voipReports, seen, "reports with VoIP metrics");
    }

    @Test
    void rtcp_without_sdp_is_not_sent_and_is_counted() throws Exception {
        QuickReplay r = run("rtcp-only.pcap");
        assertEquals(0, r.got().size());
        Map<String, Long> c = rtcpCounters(r);
        // every report of the 7 (SR, RR, APP, RR+XR, XR, RR+BYE, BYE) is looked up and unmatched
        assertEquals(7L, c.get("unmatched"), c.toString());
        assertEquals(0L, c.get("converted"));
    }

    @Test
    void malformed_rtcp_is_rejected_and_counted_without_crashing() throws Exception {
        QuickReplay r = run("rtcp-malformed.pcap");
        assertEquals(0, r.got().size());
        Map<String, Long> c = rtcpCounters(r);
        assertEquals(3L, c.get("malformed-truncated"), c.toString());
        assertEquals(6L, c.get("unmatched"), c.toString());
    }

    @Test
    void nat_matching_correlates_every_report_with_data_including_rebound_ports() throws Exception {
        QuickReplay on = run("rtcp-nat.pcap", "--rtcp-nat");
        List<JsonNode> rtcp = ofType(on.got(), 5);
        // frames 6, 7, 8 (APP), 9, 10 (XR alone) on the SDP ports, frame 11 from the rebound
        // ports (matched by SSRC); the lone BYE 12 from the rebound ports names no SSRC the
        // table learnt as a sender (a BYE does not speak for a stream) and stays unmatched
        Proc cmp = Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        Env.tool("rtcp-compare").toString(),
                        on.sink().out.toString(),
                        Env.corpus("rtcp-nat.pcap").toString(),
                        "6,7,9,10,11",
                        "1-14=nat-call-1@pbx.example.org",
                        "-d",
                        "udp.port==40001,rtcp"));
        assertEquals(0, cmp.exitCode(), "rtcp-compare: " + cmp.stdout() + cmp.stderr());
        assertTrue(cmp.stdout().startsWith("ok"), cmp.stdout());
        assertEquals(6, rtcp.size(), rtcp.toString());
        for (JsonNode m : rtcp)
            assertEquals("nat-call-1@pbx.example.org", m.get("correlation_id").asText());
        assertTrue(rtcp.stream().anyMatch(m -> m.get("srcPort").asInt() == 30901), "rebound report delivered");
        assertEquals(1L, rtcpCounters(on).get("nat-ssrc-hits"));
        assertQualityChunks(rtcp, 2);

        QuickReplay off = run("rtcp-nat.pcap");
        assertEquals(0, ofType(off.got(), 5).size());
        assertEquals(7L, rtcpCounters(off).get("unmatched"));
    }

    @Test
    void sip_only_mode_sends_no_rtcp() throws Exception {
        QuickReplay r = run("rtcp.pcap", "-m", "sip");
        assertEquals(0, ofType(r.got(), 5).size());
        assertEquals(14, ofType(r.got(), 1).size());
    }

    @Test
    void end_of_call_statistics_headers_become_type_34_reports() throws Exception {
        QuickReplay r = run("rtp-stat-headers.pcap");
        List<JsonNode> reports = ofType(r.got(), 34);
        JsonNode manifest = Env.manifestEntry("rtp-stat-headers.pcap").get("headers");
        // X-RTP-Stat (BYE), P-RTP-Stat (200), RTP-RxStat + RTP-TxStat in BYE and in 200
        assertEquals(6, reports.size(), reports.toString());
        int checked = 0;
        for (JsonNode m : reports) {
            JsonNode doc = Env.JSON.readTree(m.get("payload").asText());
            String header = doc.get("report").asText();
            String carrier = doc.get("message").asText();
            String key = header.startsWith("RTP-") ? (carrier.equals("BYE") ? "BYE " : "200 ") + header : header;
            assertEquals(manifest.get(key).asText(), doc.get("raw").asText(), key);
            String cid = m.get("correlation_id").asText();
            assertEquals(
                    header.startsWith("RTP-") ? "rtpstat-rxtx-0002@example.org" : "rtpstat-x-0001@example.org", cid);
            switch (header) {
                case "RTP-RxStat" -> assertEquals("rx", doc.get("direction").asText());
                case "RTP-TxStat" -> assertEquals("tx", doc.get("direction").asText());
                default -> assertEquals("both", doc.get("direction").asText());
            }
            // every KEY=value of the header is in "fields", with the header's value
            for (String kv : doc.get("raw").asText().split("[;,]")) {
                String[] p = kv.split("=", 2);
                JsonNode v = doc.get("fields").get(p[0]);
                if (v.isNumber()) {
                    assertEquals(
                            0, new java.math.BigDecimal(p[1]).compareTo(v.decimalValue()), key + " " + p[0] + ": " + v);
                } else {
                    assertEquals(p[1], v.asText(), key + " " + p[0]);
                }
            }
            checked++;
        }
        assertEquals(6, checked);
        JsonNode x = reports.stream()
                .map(m -> read(m))
                .filter(d -> d.get("report").asText().equals("X-RTP-Stat"))
                .findFirst()
                .orElseThrow();
        assertEquals(6040, x.get("packets_sent").asInt());
        assertEquals(3, x.get("packets_lost").asInt());
        assertEquals(12, x.get("jitter").asInt());
        assertEquals(40, x.get("latency").asInt());
        assertEquals(121, x.get("duration").asInt());
        assertEquals("PCMU", x.get("codec_encoder").asText());
    }

    @Test
    void rtcpxr_publish_replayed_gives_the_sip_and_the_report_as_json() throws Exception {
        QuickReplay r = run("rtcpxr-publish.pcap");
        List<JsonNode> sip = ofType(r.got(), 1);
        assertEquals(2, sip.size(), "PUBLISH and its 200 OK");
        List<JsonNode> reports = ofType(r.got(), 99);
        assertEquals(1, reports.size(), r.got().toString());
        JsonNode m = reports.get(0);
        assertEquals("6dg37f1890463@example.org", m.get("correlation_id").asText(), "the report's CallID");
        JsonNode d = read(m);
        JsonNode local = d.get("LocalMetrics");
        assertEquals("4.2", local.get("QualityEst").get("MOSLQ").asText());
        assertEquals("4.1", local.get("QualityEst").get("MOSCQ").asText());
        assertEquals("1.5", local.get("PacketLoss").get("NLR").asText());
        assertEquals(4, local.get("Delay").get("IAJ").asInt());
        assertEquals(40, local.get("Delay").get("RTD").asInt());
        assertEquals(
                "4.4", d.get("RemoteMetrics").get("QualityEst").get("MOSLQ").asText());
        assertEquals("CallTerm", d.get("report_subtype").asText());
    }

    private static JsonNode read(JsonNode m) {
        try {
            return Env.JSON.readTree(m.get("payload").asText());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
