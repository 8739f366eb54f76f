package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RTP stream analysis through bin/heptap (quick flags: SIP, RTCP and RTP sockets) to hep-sink:
 * each stream an SDP announced gets type-34 quality reports whose final one matches tshark's RTP
 * stream analysis (rtp-compare); media no SDP announced is only counted; {@code -m sip+rtcp}
 * turns the analysis off.
 */
@Offline
class RtpQualityIT {
    private static final String CAPTURE = "rtp-quality.pcap";

    private static List<JsonNode> rtpReports(List<JsonNode> got) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : got) {
            if (m.get("payloadType").asInt() != 34) continue;
            JsonNode doc = read(m);
            if (doc.has("ssrc") && doc.has("final")) out.add(m);
        }
        return out;
    }

    @Test
    void every_announced_stream_is_reported_as_tshark_measures_it_and_the_stray_is_only_counted() throws Exception {
        QuickReplay r = QuickReplay.run(CAPTURE);
        Proc cmp = Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        Env.tool("rtp-compare").toString(),
                        r.sink().out.toString(),
                        Env.corpus(CAPTURE).toString(),
                        "--call",
                        "40000=rtpq-g711@192.0.2.10",
                        "--call",
                        "50000=rtpq-g711@192.0.2.10",
                        "--call",
                        "42000=rtpq-mux@192.0.2.10",
                        "--call",
                        "52000=rtpq-mux@192.0.2.10",
                        "--call",
                        "44000=rtpq-opus@v6",
                        "--call",
                        "54000=rtpq-opus@v6"));
        assertEquals(0, cmp.exitCode(), "rtp-compare: " + cmp.stdout() + cmp.stderr());
        assertTrue(cmp.stdout().startsWith("ok 6/6"), cmp.stdout());

        List<JsonNode> reports = rtpReports(r.got());
        long finals =
                reports.stream().filter(m -> read(m).get("final").asBoolean()).count();
        assertEquals(6, finals, reports.toString());
        for (JsonNode m : reports) {
            JsonNode doc = read(m);
            int src = doc.get("src_port").asInt();
            int dst = doc.get("dst_port").asInt();
            // the stray stream (no SDP names either end) gets no report of any kind
            assertTrue(
                    List.of(40000, 50000, 42000, 52000, 44000, 54000).contains(src)
                            && List.of(40000, 50000, 42000, 52000, 44000, 54000).contains(dst),
                    doc.toString());
            assertEquals(doc.get("call_id").asText(), m.get("correlation_id").asText());
            // the chunk is the MOS x 100 rounded; the JSON shows the MOS rounded to 3 decimals
            assertTrue(
                    Math.abs(m.path("mosChunk").asDouble(-1) - doc.get("mos").asDouble() * 100) <= 0.51, m.toString());
        }
        Map<String, Long> c = r.moduleCounters("rtp");
        assertTrue(c.get("unannounced") > 0, c.toString());
        assertEquals(6L, c.get("streams-started"), c.toString());
        assertEquals(6L, c.get("final-reports"), c.toString());
    }

    @Test
    void sip_and_rtcp_mode_analyses_no_rtp() throws Exception {
        QuickReplay r = QuickReplay.run(CAPTURE, "-m", "sip+rtcp");
        assertEquals(List.of(), rtpReports(r.got()));
        assertTrue(r.got().stream().anyMatch(m -> m.get("payloadType").asInt() == 1), "SIP still delivered");
        assertEquals(Map.of(), r.moduleCounters("rtp"), "no socket analysed RTP");
    }

    private static JsonNode read(JsonNode m) {
        try {
            return Env.JSON.readTree(m.get("payload").asText());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
