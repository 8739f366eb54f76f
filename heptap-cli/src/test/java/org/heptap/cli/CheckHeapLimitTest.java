package org.heptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.heptap.core.testing.OversizedConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration files and plans of any size are refused through {@code heptap --check} in a JVM
 * with the agent's own 64 MB heap, where the unbounded loader ran out of memory (agent-core's
 * ConfigSizeLimitsTest has the exact messages in process).
 */
class CheckHeapLimitTest {
    private static final long MB = 1 << 20;

    @TempDir
    Path dir;

    /**
     * Each input through {@code Main --config F --check} (a plan through {@code --check-plan}) with
     * -Xmx64m: exit 1, the message, no stack trace.
     */
    @Test
    void the_check_survives_every_one_within_the_agents_64_mb_heap() throws Exception {
        Path plan = Files.writeString(
                dir.resolve("many.cfg"), "capture[main] {\n" + "clog(\"E\",\"x\");\n".repeat(65_000) + "}\n");
        record Case(String option, Path file, String message) {}
        List<Case> cases = List.of(
                new Case(
                        "--config",
                        OversizedConfigs.keys(dir.resolve("keys2m.yaml"), 2_202_009),
                        ": 2.1 MB is larger than a configuration file may be (1 MB)"),
                new Case(
                        "--config",
                        OversizedConfigs.quotedScalar(dir.resolve("scalar10m.yaml"), 10 * MB),
                        ": 10.0 MB is larger than a configuration file may be (1 MB)"),
                new Case(
                        "--config",
                        OversizedConfigs.keys(dir.resolve("keys1m.yaml"), MB),
                        ":10000: more than 20000 keys and values"),
                new Case(
                        "--config",
                        OversizedConfigs.flowList(dir.resolve("flow1m.yaml"), MB),
                        ":1: more than 20000 keys and values"),
                new Case("--check-plan", plan, ":2858:9: more than 20000 words and symbols"));
        for (Case c : cases) {
            Path log = dir.resolve(c.file().getFileName() + ".out");
            List<String> command = new java.util.ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "org.heptap.cli.Main",
                    c.option(),
                    c.file().toString()));
            if (c.option().equals("--config")) command.add("--check");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), c.file() + ": check still running after 60 s");
            } finally {
                p.destroyForcibly();
            }
            String text = Files.readString(log);
            assertEquals(1, p.exitValue(), c.file() + ": " + text);
            assertTrue(text.contains(c.file() + c.message()), text);
            assertFalse(
                    text.contains("OutOfMemoryError") || text.contains("Exception") || text.contains("\tat "), text);
        }
    }
}
