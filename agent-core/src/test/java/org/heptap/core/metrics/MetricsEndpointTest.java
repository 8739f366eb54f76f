package org.heptap.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.heptap.core.capture.ReplayPacer;
import org.heptap.core.capture.TestCorpus;
import org.heptap.core.config.Problems;
import org.heptap.core.pipeline.Agent;
import org.heptap.core.spi.ModuleHistogram;
import org.heptap.core.testing.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Prometheus reads at /metrics: every meter with a help line; module counters beside the ledger's. */
class MetricsEndpointTest {
    @TempDir
    Path dir;

    private Agent replayed() throws Exception {
        Problems problems = new Problems();
        Agent agent = Agent.prepare(
                TestConfig.oneSocket(
                        dir,
                        "sip",
                        "capture[pcap] { drop; }\n",
                        "discard-ips: [198.51.100.1]",
                        TestConfig.SILENT_CONSOLE),
                problems);
        assertNotNull(agent, problems.errors()::toString);
        agent.runFile(TestCorpus.file("sip-methods.pcap"), ReplayPacer.max());
        agent.shutdown(Duration.ofSeconds(5));
        return agent;
    }

    @Test
    void every_meter_has_a_help_line_with_text() throws Exception {
        ModuleCounters modules = new ModuleCounters();
        modules.counter("heptap.test.things", "Things a test module counted", "socket", "sip")
                .add(3);
        try (MetricsEndpoint m = new MetricsEndpoint(replayed(), () -> modules)) {
            String text = m.scrape();
            List<String> help =
                    text.lines().filter(l -> l.startsWith("# HELP ")).toList();
            assertTrue(help.size() > 20, text);
            for (String l : help) {
                String[] parts = l.split(" ", 4);
                assertTrue(parts.length == 4 && !parts[3].isBlank(), "a help line without text: '" + l + "'");
            }
            assertTrue(
                    help.contains(
                            "# HELP heptap_packets_captured_total Frames the socket read from the capture (live or file)"),
                    help::toString);
            assertTrue(
                    help.contains(
                            "# HELP heptap_transport_silenced_total Messages the console transport did not print because its output is switched off"),
                    help::toString);
            assertTrue(
                    help.stream()
                            .anyMatch(
                                    l -> l.startsWith(
                                            "# HELP heptap_packets_decode_malformed_total Frames whose decoding ended as a header")),
                    help::toString);
            assertTrue(text.contains("heptap_packets_captured_total{socket=\"sip\"} 28.0"), text);
            assertTrue(help.contains("# HELP heptap_test_things_total Things a test module counted"), help::toString);
            assertTrue(text.contains("heptap_test_things_total{socket=\"sip\"} 3.0"), text);
        }
    }

    @Test
    void a_module_counter_is_the_same_for_the_same_name_and_tags() {
        ModuleCounters modules = new ModuleCounters();
        var a = modules.counter("heptap.x", "x", "socket", "sip", "k", "v");
        assertTrue(
                a == modules.counter("heptap.x", "x", "socket", "sip", "k", "v"),
                "a reload's new module instance continues the count");
        assertTrue(a != modules.counter("heptap.x", "x", "socket", "rtcp", "k", "v"));
        assertEquals(2, modules.series().size());
    }

    /** A module's histogram in Prometheus' form: cumulative buckets up to +Inf, count and sum. */
    @Test
    void a_module_histogram_shows_cumulative_buckets_count_and_sum() throws Exception {
        ModuleCounters modules = new ModuleCounters();
        ModuleHistogram h = modules.histogram(
                "heptap.test.score", "Scores a test module saw", new double[] {1.0, 2.5, 4.0}, "socket", "media");
        for (double v : new double[] {0.5, 1.0, 2.0, 3.75, 4.25}) h.record(v);
        try (MetricsEndpoint m = new MetricsEndpoint(replayed(), () -> modules)) {
            String text = m.scrape();
            List<String> lines =
                    text.lines().filter(l -> l.contains("heptap_test_score")).toList();
            assertEquals(
                    List.of(
                            "# HELP heptap_test_score Scores a test module saw",
                            "# TYPE heptap_test_score histogram",
                            "heptap_test_score_bucket{socket=\"media\",le=\"1.0\"} 2",
                            "heptap_test_score_bucket{socket=\"media\",le=\"2.5\"} 3",
                            "heptap_test_score_bucket{socket=\"media\",le=\"4.0\"} 4",
                            "heptap_test_score_bucket{socket=\"media\",le=\"+Inf\"} 5",
                            "heptap_test_score_count{socket=\"media\"} 5",
                            "heptap_test_score_sum{socket=\"media\"} 11.5"),
                    lines,
                    text);
        }
    }

    @Test
    void a_module_histogram_continues_across_a_reload() {
        ModuleCounters before = new ModuleCounters();
        before.histogram("heptap.h", "h", new double[] {1, 2}).record(1.5);
        ModuleCounters after = new ModuleCounters();
        ModuleHistogram same = after.histogram("heptap.h", "h", new double[] {1, 2});
        same.record(0.5);
        after.continueFrom(before);
        assertEquals(2, same.count());
        assertEquals(1, same.cumulative(0));
        assertEquals(2, same.cumulative(1));
        assertEquals(2.0, same.sum(), 1e-9);
        assertTrue(same == after.histogram("heptap.h", "h", new double[] {1, 2}));
    }

    @Test
    void histogram_bounds_must_rise() {
        assertEquals(
                "histogram bounds must rise: [2.0, 1.0]",
                org.junit.jupiter.api.Assertions.assertThrows(
                                IllegalArgumentException.class, () -> new ModuleHistogram(2, 1))
                        .getMessage());
    }
}
