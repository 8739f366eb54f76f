package org.heptap.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration files of any size and shape are refused with one file-level message, never an
 * OutOfMemoryError: first in-process (the exact messages), then through {@code Main --check} in
 * a JVM with the agent's own 64 MB heap, where the unbounded loader ran out of memory.
 */
class ConfigSizeLimitsTest {
    @TempDir Path dir;

    private static final long MB = 1 << 20;

    /** {@code kN: 1} lines until the file holds {@code bytes} bytes (whole lines). */
    private Path keys(String name, long bytes) throws IOException {
        Path f = dir.resolve(name);
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            long written = 0;
            for (int i = 0; written < bytes; i++) {
                String line = "k" + i + ": 1\n";
                if (written + line.length() > bytes) line = "#".repeat((int) (bytes - written - 1)) + "\n";
                w.write(line);
                written += line.length();
            }
        }
        return f;
    }

    private Path quotedScalar(String name, long chars) throws IOException {
        Path f = dir.resolve(name);
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("agent:\n  node-name: \"");
            char[] block = new char[64 << 10];
            java.util.Arrays.fill(block, 'a');
            for (long n = 0; n < chars; n += block.length) w.write(block);
            w.write("\"\n");
        }
        return f;
    }

    /** {@code x: [a,a,a,...]}: half a million list items in one flow sequence. */
    private Path flowList(String name, long bytes) throws IOException {
        Path f = dir.resolve(name);
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("x: [");
            for (long n = 6; n + 2 <= bytes; n += 2) w.write("a,");
            w.write("a]");
        }
        return f;
    }

    private static List<String> load(Path file, String shown) {
        Problems p = new Problems();
        ConfigNode.load(file, shown, p);
        return p.errors();
    }

    @Test
    void two_megabytes_of_keys_are_refused_by_size_before_parsing() throws Exception {
        Path f = keys("keys.yaml", 2_202_009);
        assertEquals(List.of("conf/x.yaml: 2.1 MB is larger than a configuration file may be (1 MB)"), load(f, "conf/x.yaml"));
    }

    @Test
    void a_ten_megabyte_quoted_scalar_is_refused_by_size_at_once() throws Exception {
        Path f = quotedScalar("scalar.yaml", 10 * MB);
        long start = System.nanoTime();
        assertEquals(List.of("conf/x.yaml: 10.0 MB is larger than a configuration file may be (1 MB)"), load(f, "conf/x.yaml"));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "refused before being parsed");
    }

    @Test
    void a_file_without_end_is_read_no_further_than_the_limit() {
        // a character device reports size 0 and never ends: only the bounded read stops it
        assertEquals(List.of("/dev/zero: larger than a configuration file may be (more than 1 MB read)"),
                load(Path.of("/dev/zero"), "/dev/zero"));
    }

    @Test
    void just_over_the_limit_shows_the_bytes() throws Exception {
        Path f = keys("edge.yaml", MB + 1);
        assertEquals(List.of("e.yaml: 1048577 bytes is larger than a configuration file may be (1 MB)"), load(f, "e.yaml"));
    }

    @Test
    void a_megabyte_of_short_keys_is_refused_by_count_at_the_line_where_it_crosses() throws Exception {
        Path f = keys("many.yaml", MB);
        List<String> errors = load(f, "m.yaml");
        // the root mapping is node 1, each line two more: node 20,001 is the key on line 10,000
        assertEquals(List.of("m.yaml:10000: more than 20000 keys and values: far more than a configuration holds (is this the right file?)"),
                errors);
    }

    @Test
    void a_megabyte_flow_list_is_refused_by_count() throws Exception {
        List<String> errors = load(flowList("flow.yaml", MB), "f.yaml");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).matches("f\\.yaml:1: more than 20000 keys and values: .*"), errors.get(0));
    }

    @Test
    void deep_nesting_and_many_aliases_are_problems_not_crashes() {
        Problems p = new Problems();
        ConfigNode.parse(new java.io.StringReader("a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n"), "n.yaml", p);
        assertEquals(1, p.errors().size(), p.errors().toString());
        assertTrue(p.errors().get(0).startsWith("n.yaml: YAML: Nesting Depth exceeded"), p.errors().get(0));

        StringBuilder laughs = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 20; i++) {
            laughs.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) laughs.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            laughs.append("]\n");
        }
        Problems q = new Problems();
        ConfigNode.parse(new java.io.StringReader(laughs.toString()), "l.yaml", q);
        assertEquals(1, q.errors().size(), q.errors().toString());
        assertTrue(q.errors().get(0).contains("aliases"), q.errors().get(0));
    }

    /**
     * Each input through {@code Main --config F --check} (a plan through {@code --check-plan}) with
     * -Xmx64m: exit 1, the message, no stack trace.
     */
    @Test
    void the_check_survives_every_one_within_the_agents_64_mb_heap() throws Exception {
        Path plan = Files.writeString(dir.resolve("many.cfg"), "capture[main] {\n" + "clog(\"E\",\"x\");\n".repeat(65_000) + "}\n");
        record Case(String option, Path file, String message) {}
        List<Case> cases = List.of(
                new Case("--config", keys("keys2m.yaml", 2_202_009), ": 2.1 MB is larger than a configuration file may be (1 MB)"),
                new Case("--config", quotedScalar("scalar10m.yaml", 10 * MB), ": 10.0 MB is larger than a configuration file may be (1 MB)"),
                new Case("--config", keys("keys1m.yaml", MB), ":10000: more than 20000 keys and values"),
                new Case("--config", flowList("flow1m.yaml", MB), ":1: more than 20000 keys and values"),
                new Case("--check-plan", plan, ":2858:9: more than 20000 words and symbols"));
        for (Case c : cases) {
            Path log = dir.resolve(c.file().getFileName() + ".out");
            List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    "org.heptap.core.cli.Main", c.option(), c.file().toString()));
            if (c.option().equals("--config")) command.add("--check");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), c.file() + ": check still running after 60 s");
            } finally {
                p.destroyForcibly();
            }
            String text = Files.readString(log);
            assertEquals(1, p.exitValue(), c.file() + ": " + text);
            assertTrue(text.contains(c.file() + c.message()), text);
            assertFalse(text.contains("OutOfMemoryError") || text.contains("Exception") || text.contains("\tat "), text);
        }
    }
}
