package org.heptap.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The replay exit codes of README "Exit codes" that depend on delivery. */
class MainTest {
    @Test
    void delivery_decides_the_exit_code_of_a_replay_read_whole() {
        assertEquals(0, Main.deliveryCode(140, 0), "every message delivered");
        assertEquals(0, Main.deliveryCode(0, 0), "nothing to send");
        assertEquals(0, Main.deliveryCode(140, -140), "an earlier run's spool delivered on top");
        assertEquals(5, Main.deliveryCode(140, 3), "some undelivered");
        assertEquals(6, Main.deliveryCode(0, 140), "none delivered");
    }

    @Test
    void a_missing_replay_file_exits_4_before_anything_starts() {
        assertEquals(4, Main.run(new String[] {"-r", "/nonexistent/heptap-test/y.pcap"}));
        assertEquals(4, Main.run(new String[] {"-r", System.getProperty("java.io.tmpdir")}));
    }

    @Test
    void loop_without_a_file_is_a_usage_error() {
        assertEquals(2, Main.run(new String[] {"--loop", "2"}));
    }
}
