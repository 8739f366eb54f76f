package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.heptap.core.spi.ActiveCalls;
import org.junit.jupiter.api.Test;

/** What operators read: the console's line per finished stream and the rows of heptapctl calls. */
class RtpSummaryLineTest {
    private static final StreamQuality Q = new StreamQuality(
            "call-x",
            "192.0.2.10",
            40000,
            "2001:db8::20",
            50000,
            0x1234,
            "PCMU",
            1500,
            1512,
            12,
            3.14,
            9.81,
            4.2149,
            88.1,
            true,
            0);

    @Test
    void the_console_line_of_a_finished_stream() {
        assertEquals(
                "rtp 192.0.2.10:40000 -> [2001:db8::20]:50000 ssrc 0x1234 PCMU 1500 pkts lost 12 (0.8%)"
                        + " jitter 3.1/9.8 ms MOS 4.21 call call-x",
                RtpReportSender.summaryLine(Q));
    }

    @Test
    void the_line_rounds_its_figures_as_the_format_it_replaced_did() {
        java.util.Random random = new java.util.Random(20261204);
        for (int i = 0; i < 20_000; i++) {
            double v = random.nextDouble() * (i % 2 == 0 ? 100 : 5);
            for (int decimals : new int[] {1, 2}) {
                assertEquals(
                        String.format(java.util.Locale.ROOT, "%." + decimals + "f", v),
                        RtpReportSender.fixed(new StringBuilder(), v, decimals).toString(),
                        "value " + v);
            }
        }
        // halfway in their shortest decimal form, not in binary; and negatives that round to zero
        for (double v : new double[] {
            0, 0.04, 0.05, 0.15, 0.145, 0.285, 0.949, 0.95, 1.005, 1.015, 2.675, 9.96, 99.999, 100, 1e6, -0.04, -1.25
        }) {
            for (int decimals : new int[] {1, 2}) {
                assertEquals(
                        String.format(java.util.Locale.ROOT, "%." + decimals + "f", v),
                        RtpReportSender.fixed(new StringBuilder(), v, decimals).toString(),
                        "value " + v);
            }
        }
        assertEquals(
                "NaN", RtpReportSender.fixed(new StringBuilder(), Double.NaN, 2).toString());
    }

    @Test
    void active_calls_become_the_protocol_free_rows_of_heptapctl_calls() {
        List<ActiveCalls.Call> rows = RtpModule.activeCalls(List.of(new CallQuality("call-x", List.of(Q))));
        assertEquals(1, rows.size());
        ActiveCalls.Direction d = rows.get(0).directions().get(0);
        assertEquals("192.0.2.10:40000", d.from());
        assertEquals("[2001:db8::20]:50000", d.to());
        assertEquals(12, d.lost());
        assertEquals(100.0 * 12 / 1512, d.lossPercent(), 1e-9);
        assertEquals(3.14, d.jitterMs());
        assertEquals(4.2149, d.mos());
    }

    @Test
    void the_module_offers_calls_unless_the_ring_answers_it() {
        var agent = new org.heptap.core.spi.AgentContext(1, "n", false);
        RtpModule m = new RtpModule();
        m.configure(
                org.heptap.core.config.ConfigNode.parse(
                        new java.io.StringReader("{}\n"), "heptap.yaml", new org.heptap.core.config.Problems()),
                agent);
        assertEquals(
                List.of("calls"),
                m.controlCommands().stream().map(c -> c.name()).toList());
        ActiveCalls.of(agent).claimCommand();
        assertEquals(List.of(), m.controlCommands());
        m.close();
    }

    @Test
    void final_reports_count_the_streams_and_their_lost_packets_for_the_metrics_endpoint() {
        java.util.Map<String, java.util.concurrent.atomic.LongAdder> counters = new java.util.HashMap<>();
        var counting = RtpModule.finalCounting(
                (name, help, tags) -> counters.computeIfAbsent(name, k -> new java.util.concurrent.atomic.LongAdder()));
        counting.accept(Q);
        counting.accept(Q);
        assertEquals(2, counters.get("heptap.rtp.streams").sum());
        assertEquals(24, counters.get("heptap.rtp.lost.packets").sum());
    }

    @Test
    void final_reports_put_their_mos_into_the_histogram_of_the_metrics_endpoint() {
        var meters = new org.heptap.core.metrics.ModuleCounters();
        var counting = RtpModule.finalCounting(meters);
        counting.accept(Q); // MOS 4.2149
        StreamQuality poor = new StreamQuality(
                "call-y", "192.0.2.10", 40002, "192.0.2.20", 50002, 7, "PCMU", 100, 200, 100, 40, 80, 1.9, 30, true, 0);
        counting.accept(poor);
        var series = meters.histograms();
        assertEquals(1, series.size());
        assertEquals("heptap.rtp.mos", series.get(0).name());
        org.heptap.core.spi.ModuleHistogram h = series.get(0).histogram();
        double[] bounds = h.bounds();
        assertEquals(2, h.count());
        assertEquals(4.2149 + 1.9, h.sum(), 1e-9);
        for (int i = 0; i < bounds.length; i++) {
            long expected = (bounds[i] >= 1.9 ? 1 : 0) + (bounds[i] >= 4.2149 ? 1 : 0);
            assertEquals(expected, h.cumulative(i), "le " + bounds[i]);
        }
    }
}
