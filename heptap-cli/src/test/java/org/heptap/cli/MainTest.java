package org.heptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

    @Test
    void an_unknown_option_is_named_with_the_usage_and_exits_2() {
        String err = stderrOf(() -> assertEquals(2, Main.run(new String[] {"--bogus"})));
        assertTrue(err.startsWith("heptap: unknown option --bogus (see --help)\n"), err);
        assertTrue(
                err.contains("Usage:") && err.contains("--rtcp-nat") && err.contains("--config=FILE"),
                "the usage, modules' options too: " + err);
        err = stderrOf(() -> assertEquals(2, Main.run(new String[] {"-r"})));
        assertTrue(err.startsWith("heptap: -r needs a value\n"), err);
    }

    @Test
    void help_lists_every_option_and_exits_0() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream was = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(new String[] {"--help"}));
        } finally {
            System.setOut(was);
        }
        String help = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        for (String option : List.of(
                "--check-plan", "--hep-version", "--hin-client-ca", "--rtcpxr", "--discard-methods", "--metrics")) {
            assertTrue(help.contains(option), option + " in " + help);
        }
    }

    private static String stderrOf(Runnable r) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream was = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(was);
        }
        return err.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
