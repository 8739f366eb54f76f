package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
