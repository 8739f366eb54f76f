package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heptap.core.capture.TestCorpus;
import org.junit.jupiter.api.Test;

/**
 * rtp-quality.pcap's packets through {@link RtpStreamStats}, compared with tshark's RTP stream
 * analysis of the same capture ({@code expected/rtp-quality.pcap.rtp.jsonl}) under the
 * tolerances of {@code testdata/tools/rtp-compare}.
 */
class RtpStreamStatsCorpusTest {
    private static final String G711 = "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
    private static final String G729 = "a=rtpmap:18 G729/8000\r\n";
    private static final String OPUS = "a=rtpmap:111 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\n";

    /** The media ports the capture's SDP announces, each with its rtpmap lines. */
    private static final Map<Integer, PayloadTypes> SDP = Map.of(
            40000,
            types(G711),
            50000,
            types(G711),
            42000,
            types(G729),
            52000,
            types(G729),
            44000,
            types(OPUS),
            54000,
            types(OPUS));

    private static PayloadTypes types(String sdp) {
        byte[] b = sdp.getBytes(StandardCharsets.US_ASCII);
        return PayloadTypes.fromSdp(b, 0, b.length);
    }

    @Test
    void every_stream_matches_wiresharks_rtp_stream_analysis() throws Exception {
        Map<String, RtpStreamStats> streams = analyse();
        List<String> truth =
                Files.readAllLines(TestCorpus.shared().resolve("corpus/expected/rtp-quality.pcap.rtp.jsonl"));
        ObjectMapper json = new ObjectMapper();
        assertEquals(truth.size(), streams.size(), "streams found: " + streams.keySet());
        for (String line : truth) {
            JsonNode t = json.readTree(line);
            String key = key(
                    t.get("src_ip").asText(),
                    t.get("src_port").asInt(),
                    t.get("dst_ip").asText(),
                    t.get("dst_port").asInt(),
                    t.get("ssrc").asLong());
            RtpStreamStats s = streams.get(key);
            assertTrue(s != null, "no stream " + key + " in " + streams.keySet());
            assertEquals(t.get("packets").asLong(), s.packets(), key + " packets");
            assertEquals(t.get("lost").asLong(), s.lost() - s.duplicates(), key + " lost - duplicates");
            assertTrue(s.lost() >= 0, key + " lost");
            assertClose(t, "max_delta_ms", s.maxDeltaMs(), 0.01, 0, key);
            assertClose(t, "mean_delta_ms", s.meanDeltaMs(), 0.01, 0, key);
            assertClose(t, "min_delta_ms", s.minDeltaMs(), 0.01, 0, key);
            assertClose(t, "mean_jitter_ms", s.meanJitterMs(), 0.02, 0.03, key);
            assertClose(t, "max_jitter_ms", s.maxJitterMs(), 0.02, 0.03, key);
        }
    }

    @Test
    void the_calls_have_the_impairments_the_capture_was_made_with() throws Exception {
        Map<String, RtpStreamStats> streams = analyse();
        RtpStreamStats g729 = streams.get(key("192.0.2.20", 52000, "192.0.2.10", 42000, 725352450L));
        assertEquals(3, g729.duplicates(), "G.729 duplicates");
        RtpStreamStats g711 = streams.get(key("192.0.2.10", 40000, "192.0.2.20", 50000, 439025665L));
        assertTrue(
                streams.get(key("192.0.2.20", 50000, "192.0.2.10", 40000, 439025666L))
                                .outOfOrder()
                        > 0,
                "G.711 reordering");
        assertEquals(12, g711.lost());
        RtpStreamStats opus = streams.get(key("2001:db8::10", 44000, "2001:db8::20", 54000, 1011679233L));
        assertTrue(opus.dtmfEvents() > 0, "Opus DTMF");
        assertTrue(opus.silencePeriods() > 0, "Opus silence suppression");
        assertTrue(opus.sawPayloadType(101) && opus.sawPayloadType(111));
        assertEquals(48000, opus.clockRate());
    }

    static Map<String, RtpStreamStats> analyse() throws Exception {
        Map<String, RtpStreamStats> streams = new LinkedHashMap<>();
        RtpHeader h = new RtpHeader();
        for (CorpusRtp.Datagram d : CorpusRtp.read("rtp-quality.pcap")) {
            PayloadTypes types = SDP.get(d.srcPort());
            if (types == null || !SDP.containsKey(d.dstPort())) continue;
            if (RtpHeaderParser.parse(d.payload(), 0, d.payload().length, h) != RtpResult.RTP) continue;
            String key = key(d.srcIp(), d.srcPort(), d.dstIp(), d.dstPort(), h.ssrc());
            RtpStreamStats s = streams.computeIfAbsent(key, k -> {
                RtpStreamStats n = new RtpStreamStats();
                n.reset(h.ssrc(), types);
                return n;
            });
            s.add(h, d.micros(), d.payload().length);
        }
        return streams;
    }

    static String key(String src, int sport, String dst, int dport, long ssrc) {
        return src + ":" + sport + ">" + dst + ":" + dport + "/" + ssrc;
    }

    private static void assertClose(JsonNode t, String field, double actual, double abs, double rel, String key) {
        double want = t.get(field).asDouble();
        assertTrue(
                Math.abs(actual - want) <= Math.max(abs, rel * Math.abs(want)),
                key + " " + field + ": " + actual + ", tshark " + want);
    }
}
