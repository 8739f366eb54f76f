package org.heptap.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.heptap.core.spi.QuickRun;
import org.heptap.core.spi.QuickYaml;
import org.junit.jupiter.api.Test;

class PcapQuickModeTest {
    private static final QuickRun RUN =
            new QuickRun("lo", null, null, null, null, null, null, null, null, Map.of(), true, null);

    private static PcapQuickMode quick(String dir, String... rotate) {
        PcapQuickMode q = new PcapQuickMode();
        q.directory = dir;
        q.rotate.addAll(List.of(rotate));
        return q;
    }

    private static String transports(PcapQuickMode q) {
        QuickYaml y = new QuickYaml();
        q.contribute(RUN, y);
        return y.transports().toString();
    }

    @Test
    void w_makes_a_pcap_profile_rotated_by_time_and_size() {
        PcapQuickMode q = quick("/var/lib/heptap/pcap", "30s", "100MB");
        assertNull(q.misuse(RUN));
        assertEquals(
                "  pcapfile:\n    type: pcap\n    directory: \"/var/lib/heptap/pcap\"\n"
                        + "    rotate-interval: \"30s\"\n    rotate-size: \"100MB\"\n",
                transports(q));
    }

    @Test
    void without_w_there_is_no_pcap_profile_and_nothing_for_the_plans() {
        PcapQuickMode q = quick(null);
        assertEquals(false, q.asksForQuickRun());
        assertEquals("", transports(q));
        assertEquals(Map.of(), q.planStatements());
    }

    @Test
    void w_has_the_plans_send_their_frames_to_the_pcap_profile() {
        assertEquals(Map.of("frames", "send_pcap(\"pcapfile\");"), quick("/d").planStatements());
    }

    @Test
    void rotate_values_are_a_duration_or_a_size_with_its_unit() {
        assertEquals(
                "--rotate needs -w DIR (where the pcap files go)",
                quick(null, "30s").misuse(RUN));
        assertEquals(
                "--rotate 5x: give a duration (30s, 5m, 1h) or a size with its unit (100MB, 1GB)",
                quick("/d", "5x").misuse(RUN));
        assertEquals(
                "--rotate takes at most one duration and one size",
                quick("/d", "30s", "1m").misuse(RUN));
        assertNull(quick("/d", "5m").misuse(RUN), "5m is five minutes");
        assertEquals(
                "  pcapfile:\n    type: pcap\n    directory: \"/d\"\n    rotate-interval: \"5m\"\n",
                transports(quick("/d", "5m")));
        assertEquals(1L << 30, PcapQuickMode.size("1GB"));
        assertEquals(-1, PcapQuickMode.size("1g"));
        assertEquals("45", PcapQuickMode.interval("45"));
    }
}
