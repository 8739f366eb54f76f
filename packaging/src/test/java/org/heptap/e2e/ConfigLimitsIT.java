package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oversized configuration files through bin/heptap and its 64 MB heap: {@code --check} refuses
 * them with one line and exit 1, and a running agent refuses them on {@code heptapctl reload}
 * and on SIGHUP alike, keeping the configuration it runs (both used to end in OutOfMemoryError).
 */
@Offline
class ConfigLimitsIT {
    @TempDir
    Path dir;

    /** {@code kN: 1} lines: 220,000 of them make 2.2 MB. */
    private static void writeKeys(Path file, int count) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) w.write("k" + i + ": 1\n");
        }
    }

    @Test
    void check_refuses_two_megabytes_of_keys_and_a_ten_megabyte_scalar_in_one_line() throws Exception {
        Path keys = dir.resolve("keys.yaml");
        writeKeys(keys, 220_000);
        Path scalar = dir.resolve("scalar.yaml");
        try (Writer w = Files.newBufferedWriter(scalar, StandardCharsets.UTF_8)) {
            w.write("agent:\n  node-name: \"");
            String block = "a".repeat(1 << 16);
            for (int i = 0; i < 160; i++) w.write(block);
            w.write("\"\n");
        }
        for (Path f : List.of(keys, scalar)) {
            Proc p = Proc.run(
                    Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--config", f.toString(), "--check"));
            String out = p.stdout() + p.stderr();
            assertEquals(1, p.exitCode(), out);
            String size = f == keys ? "2.2 MB" : "10.0 MB";
            assertTrue(out.contains(f + ": " + size + " is larger than a configuration file may be (1 MB)\n"), out);
            assertTrue(out.contains("heptap: 1 problem(s) found"), out);
            assertFalse(out.contains("Exception") || out.contains("OutOfMemoryError") || out.contains("\tat "), out);
        }
    }

    @Test
    void a_running_agent_refuses_an_oversized_file_on_heptapctl_reload_and_on_sighup() throws Exception {
        Path sock = dir.resolve("ctl.sock");
        Path yaml = Env.relayConfig(dir, """
                control:
                  socket: %s
                """.formatted(sock));
        try (Proc agent = Proc.start(List.of(Env.heptap().toString(), "--config", yaml.toString()))) {
            waitFor(agent, "socket relay: ", 1, Duration.ofSeconds(60));
            writeKeys(yaml, 220_000);
            String refused = "reload refused: " + yaml + ": 2.2 MB is larger than a configuration file may be (1 MB)";

            Proc reload = ctl(sock, "reload");
            assertEquals(1, reload.exitCode(), reload.stdout() + reload.stderr());
            assertTrue(
                    reload.stderr().contains(yaml + ": 2.2 MB is larger than a configuration file may be (1 MB)"),
                    reload.stderr());
            waitFor(agent, refused, 1, Duration.ofSeconds(30));

            Proc hup = Proc.run(Duration.ofSeconds(10), List.of("kill", "-HUP", String.valueOf(agent.process.pid())));
            assertEquals(0, hup.exitCode(), hup.stderr());
            waitFor(agent, refused, 2, Duration.ofSeconds(30));

            Proc status = ctl(sock, "status");
            assertEquals(0, status.exitCode(), status.stderr());
            assertTrue(status.stdout().contains("reloads 0"), status.stdout());
            assertTrue(agent.process.isAlive());
            assertFalse(
                    agent.stderr().contains("OutOfMemoryError")
                            || agent.stderr().contains("Exception"),
                    agent.stderr());
        }
    }

    private static Proc ctl(Path sock, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of(Env.home().resolve("bin/heptapctl").toString(), "--socket", sock.toString()));
        cmd.addAll(List.of(args));
        return Proc.run(Duration.ofSeconds(60), cmd);
    }

    /** Until the agent's log holds {@code text} at least {@code times} times. */
    private static void waitFor(Proc p, String text, int times, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (p.stderr().split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) return;
            if (!p.process.isAlive()) throw new AssertionError(p.command + " exited: " + p.stderr());
            Thread.sleep(100);
        }
        throw new AssertionError(p.command + " did not say '" + text + "' " + times + " time(s): " + p.stderr());
    }
}
