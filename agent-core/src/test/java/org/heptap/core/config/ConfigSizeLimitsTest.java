package org.heptap.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.heptap.core.testing.OversizedConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration files of any size and shape are refused with one file-level message, never an
 * OutOfMemoryError (the exact messages). heptap-cli's CheckHeapLimitTest runs them through
 * {@code Main --check} in a JVM with the agent's own 64 MB heap, where the unbounded loader ran
 * out of memory.
 */
class ConfigSizeLimitsTest {
    @TempDir
    Path dir;

    private static final long MB = 1 << 20;

    private Path keys(String name, long bytes) throws IOException {
        return OversizedConfigs.keys(dir.resolve(name), bytes);
    }

    private Path quotedScalar(String name, long chars) throws IOException {
        return OversizedConfigs.quotedScalar(dir.resolve(name), chars);
    }

    private Path flowList(String name, long bytes) throws IOException {
        return OversizedConfigs.flowList(dir.resolve(name), bytes);
    }

    private static List<String> load(Path file, String shown) {
        Problems p = new Problems();
        ConfigNode.load(file, shown, p);
        return p.errors();
    }

    @Test
    void two_megabytes_of_keys_are_refused_by_size_before_parsing() throws Exception {
        Path f = keys("keys.yaml", 2_202_009);
        assertEquals(
                List.of("conf/x.yaml: 2.1 MB is larger than a configuration file may be (1 MB)"),
                load(f, "conf/x.yaml"));
    }

    @Test
    void a_ten_megabyte_quoted_scalar_is_refused_by_size_at_once() throws Exception {
        Path f = quotedScalar("scalar.yaml", 10 * MB);
        long start = System.nanoTime();
        assertEquals(
                List.of("conf/x.yaml: 10.0 MB is larger than a configuration file may be (1 MB)"),
                load(f, "conf/x.yaml"));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "refused before being parsed");
    }

    @Test
    void a_file_without_end_is_read_no_further_than_the_limit() {
        // a character device reports size 0 and never ends: only the bounded read stops it
        assertEquals(
                List.of("/dev/zero: larger than a configuration file may be (more than 1 MB read)"),
                load(Path.of("/dev/zero"), "/dev/zero"));
    }

    @Test
    void just_over_the_limit_shows_the_bytes() throws Exception {
        Path f = keys("edge.yaml", MB + 1);
        assertEquals(
                List.of("e.yaml: 1048577 bytes is larger than a configuration file may be (1 MB)"), load(f, "e.yaml"));
    }

    @Test
    void a_megabyte_of_short_keys_is_refused_by_count_at_the_line_where_it_crosses() throws Exception {
        Path f = keys("many.yaml", MB);
        List<String> errors = load(f, "m.yaml");
        // the root mapping is node 1, each line two more: node 20,001 is the key on line 10,000
        assertEquals(
                List.of(
                        "m.yaml:10000: more than 20000 keys and values: far more than a configuration holds (is this the right file?)"),
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
        assertTrue(
                p.errors().get(0).startsWith("n.yaml: YAML: Nesting Depth exceeded"),
                p.errors().get(0));

        StringBuilder laughs = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 20; i++) {
            laughs.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++)
                laughs.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            laughs.append("]\n");
        }
        Problems q = new Problems();
        ConfigNode.parse(new java.io.StringReader(laughs.toString()), "l.yaml", q);
        assertEquals(1, q.errors().size(), q.errors().toString());
        assertTrue(q.errors().get(0).contains("aliases"), q.errors().get(0));
    }
}
