package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million distinct streams through a bounded table in a JVM with the agent's 64 MB heap: the
 * table stays at its limit, every stream beyond it is counted as an eviction (oldest first), no
 * OutOfMemoryError, and what a tracked stream retains (its key, statistics, share of its call's
 * endpoints, payload types and Call-ID) stays within 1 KB. Unbounded, a million streams need
 * several hundred MB.
 */
class RtpStreamTableHeapLimitTest {
    private static final int STREAMS = 1_000_000;
    private static final int LIMIT = 20_000;
    private static final Pattern FIGURES = Pattern.compile(
            "streams=(\\d+) endpoints=(\\d+) evictions=(\\d+) endpoint-evictions=(\\d+) bytes-per-stream=(-?\\d+)");

    @TempDir
    Path dir;

    @Test
    void a_million_streams_under_xmx64m_keep_the_table_at_its_limit_and_count_evictions() throws Exception {
        Path log = dir.resolve("many-streams.out");
        Process p = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ManyStreamsMain.class.getName(),
                        Integer.toString(STREAMS),
                        Integer.toString(LIMIT)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running after 120 s");
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("OutOfMemoryError"), out);
        Matcher m = FIGURES.matcher(out);
        assertTrue(m.find(), out);
        assertEquals(LIMIT, Long.parseLong(m.group(1)), "streams tracked");
        assertEquals(LIMIT, Long.parseLong(m.group(2)), "endpoints tracked");
        assertEquals(STREAMS - LIMIT, Long.parseLong(m.group(3)), "stream evictions");
        assertEquals(STREAMS - LIMIT, Long.parseLong(m.group(4)), "endpoint evictions");
        long perStream = Long.parseLong(m.group(5));
        assertTrue(perStream > 0 && perStream <= 1024, perStream + " bytes per tracked stream");
        System.out.println("RtpStreamTableHeapLimitTest: " + out.trim());
    }
}
