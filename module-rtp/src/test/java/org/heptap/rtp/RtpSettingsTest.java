package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.junit.jupiter.api.Test;

/** modules.rtp: defaults, values, and every wrong value reported at its file and line. */
class RtpSettingsTest {
    private final Problems problems = new Problems();

    private RtpSettings read(String yaml) {
        ConfigNode root = ConfigNode.parse(new StringReader(yaml), "conf/heptap.yaml", problems);
        return RtpSettings.read(root.section("modules").section("rtp"));
    }

    @Test
    void values_are_read_and_missing_ones_take_the_defaults() {
        RtpSettings s = read("modules:\n  rtp:\n    interval: 5s\n    nat-matching: true\n    max-streams: 100\n");
        assertEquals(List.of(), problems.errors());
        assertEquals(Duration.ofSeconds(5), s.interval());
        assertEquals(100, s.maxStreams());
        assertEquals(true, s.natMatching());
        assertEquals(RtpSettings.defaults().rtpTimeout(), s.rtpTimeout());
        assertEquals(RtpSettings.defaults().byeGrace(), s.byeGrace());
    }

    @Test
    void early_rtp_is_held_as_configured_or_not_at_all() {
        RtpSettings d = RtpSettings.defaults();
        assertEquals(Duration.ofSeconds(2), d.holdWindow());
        assertEquals(100, d.holdPackets());
        assertEquals(1024, d.holdFlows());
        assertNotNull(d.pending());
        RtpSettings s = read("modules:\n  rtp:\n    hold-window: 500ms\n    hold-packets: 50\n    hold-flows: 10\n");
        assertEquals(List.of(), problems.errors());
        assertEquals(Duration.ofMillis(500), s.holdWindow());
        assertEquals(50, s.holdPackets());
        assertEquals(10, s.holdFlows());
        assertNull(read("modules:\n  rtp:\n    hold-window: 0s\n").pending(), "0s: not held");
    }

    @Test
    void a_hold_table_beyond_its_memory_bound_is_refused() {
        RtpSettings s =
                read("modules:\n  rtp:\n    hold-window: 2m\n    hold-packets: 10000\n" + "    hold-flows: 1048576\n");
        assertEquals(
                List.of(
                        "conf/heptap.yaml:3: modules.rtp.hold-window: 2m is too long (at most 60s)",
                        "conf/heptap.yaml:5: modules.rtp.hold-flows: hold-flows x hold-packets is 10485760000"
                                + " packets held at most, more than 1048576 (20 bytes each)"),
                problems.errors());
        assertEquals(RtpSettings.defaults().holdFlows(), s.holdFlows());
    }

    @Test
    void wrong_values_are_reported_with_file_line_and_key() {
        read("modules:\n  rtp:\n    interval: 500ms\n    max-streams: 0\n    bye-grace: soon\n"
                + "    rtp-timeout: 0s\n    handoff-size: 99999999\n    nat-matching: maybe\n    colour: red\n");
        assertEquals(
                List.of(
                        "conf/heptap.yaml:3: modules.rtp.interval: 500ms is too short (at least 1s)",
                        "conf/heptap.yaml:4: modules.rtp.max-streams: 0 is out of range (1-4194304)",
                        "conf/heptap.yaml:5: modules.rtp.bye-grace: soon is not a duration (e.g. 30s, 500ms, 2m)",
                        "conf/heptap.yaml:6: modules.rtp.rtp-timeout: 0s is too short (at least 1s)",
                        "conf/heptap.yaml:7: modules.rtp.handoff-size: 99999999 is out of range (16-1048576)",
                        "conf/heptap.yaml:8: modules.rtp.nat-matching: maybe is not true or false",
                        "conf/heptap.yaml:9: modules.rtp.colour: unknown key"),
                problems.errors());
    }
}
