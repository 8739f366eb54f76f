package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Where RTP analysis's final reports show beside HEP: a replay of rtp-quality.pcap (quick flags,
 * kept running with {@code --stay}) puts each final report's MOS into the {@code heptap_rtp_mos}
 * histogram of /metrics, counts the streams and their lost packets, and the console prints one
 * summary line per finished stream. The truth is what hep-sink received: the final reports'
 * own figures.
 */
@Offline
class RtpReportsOutputIT {
    private static final String CAPTURE = "rtp-quality.pcap";
    private static final Pattern SUMMARY_TAIL = Pattern.compile("^([\\d.]+)/([\\d.]+) ms MOS ([\\d.]+) call (\\S+)$");
    private static final Pattern BUCKET = Pattern.compile("^heptap_rtp_mos_bucket\\{le=\"([^\"]+)\"} (\\d+)$");

    @Test
    void final_reports_reach_the_mos_histogram_the_counters_and_the_console() throws Exception {
        int metricsPort = Env.freeTcpPort();
        try (HepSink sink = HepSink.startUdp();
                Proc agent = Proc.start(List.of(
                        Env.heptap().toString(),
                        "-r",
                        Env.corpus(CAPTURE).toString(),
                        "--stay",
                        "--console",
                        "-H",
                        "udp:127.0.0.1:" + sink.udpPort,
                        "--metrics",
                        "127.0.0.1:" + metricsPort))) {
            Await.until(
                    () -> finals(sink.read()).size() >= 6 || !agent.process.isAlive(),
                    Duration.ofSeconds(60),
                    "6 final RTP reports at hep-sink");
            List<JsonNode> finals = finals(sink.read());
            assertEquals(6, finals.size(), agent.stderr());
            // the histogram is fed right after each report is sent: wait until it holds all six
            String[] text = {""};
            Await.until(
                    () -> (text[0] = scrape(metricsPort)).contains("heptap_rtp_mos_count 6"),
                    Duration.ofSeconds(20),
                    "heptap_rtp_mos_count 6 at /metrics");
            String metrics = text[0];

            TreeMap<Double, Long> buckets = new TreeMap<>();
            for (String line : metrics.lines().toList()) {
                Matcher b = BUCKET.matcher(line);
                if (b.matches()) {
                    double le = b.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(b.group(1));
                    buckets.put(le, Long.parseLong(b.group(2)));
                }
            }
            assertTrue(buckets.size() > 5 && buckets.containsKey(Double.POSITIVE_INFINITY), metrics);
            double sum = 0;
            long lost = 0;
            for (JsonNode d : finals) {
                sum += d.get("mos").asDouble();
                lost += d.get("lost").asLong();
            }
            for (var b : buckets.entrySet()) {
                long expected = finals.stream()
                        .filter(d -> d.get("mos").asDouble() <= b.getKey())
                        .count();
                assertEquals(expected, b.getValue(), "le=" + b.getKey() + " of reports " + finals + "\n" + metrics);
            }
            Matcher s = Pattern.compile("(?m)^heptap_rtp_mos_sum (\\S+)$").matcher(metrics);
            assertTrue(s.find(), metrics);
            // the reports round MOS to 3 decimals
            assertEquals(sum, Double.parseDouble(s.group(1)), 6 * 0.0005 + 1e-9, metrics);
            assertTrue(metrics.contains("heptap_rtp_streams_total 6.0"), metrics);
            assertTrue(metrics.contains("heptap_rtp_lost_packets_total " + lost + ".0"), metrics);
            assertTrue(metrics.contains("# TYPE heptap_rtp_mos histogram"), metrics);

            agent.terminate(Duration.ofSeconds(20));
            // the console: one line per finished stream, its figures those of the stream's final report
            List<String> lines =
                    agent.stdout().lines().filter(l -> l.startsWith("rtp ")).toList();
            assertEquals(6, lines.size(), agent.stdout());
            for (JsonNode d : finals) {
                String head = String.format(
                        Locale.ROOT,
                        "rtp %s -> %s ssrc 0x%x %s %d pkts lost %d (%.1f%%) jitter ",
                        endpoint(d.get("src_ip").asText(), d.get("src_port").asInt()),
                        endpoint(d.get("dst_ip").asText(), d.get("dst_port").asInt()),
                        d.get("ssrc").asLong(),
                        d.get("codec").asText(),
                        d.get("packets").asLong(),
                        d.get("lost").asLong(),
                        lossPercent(d));
                List<String> mine =
                        lines.stream().filter(l -> l.startsWith(head)).toList();
                assertEquals(1, mine.size(), head + " in " + lines);
                Matcher m = SUMMARY_TAIL.matcher(mine.get(0).substring(head.length()));
                assertTrue(m.matches(), mine.get(0));
                // the console rounds the exact figures, the report's JSON has them to 3 decimals
                assertEquals(d.get("mean_jitter_ms").asDouble(), Double.parseDouble(m.group(1)), 0.051, mine.get(0));
                assertEquals(d.get("max_jitter_ms").asDouble(), Double.parseDouble(m.group(2)), 0.051, mine.get(0));
                assertEquals(d.get("mos").asDouble(), Double.parseDouble(m.group(3)), 0.0051, mine.get(0));
                assertEquals(d.get("call_id").asText(), m.group(4), mine.get(0));
            }
        }
    }

    /** As the console computes it: lost in percent of expected. */
    private static double lossPercent(JsonNode d) {
        long expected = d.get("expected").asLong();
        return expected <= 0 ? 0 : 100.0 * d.get("lost").asLong() / expected;
    }

    private static String endpoint(String ip, int port) {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }

    private static String scrape(int port) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception notYetListening) {
            return "";
        }
    }

    private static List<JsonNode> finals(List<JsonNode> got) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : got) {
            if (m.path("payloadType").asInt() != 34) continue;
            try {
                JsonNode d = Env.JSON.readTree(m.get("payload").asText());
                if (d.path("final").asBoolean()) out.add(d);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }
}
