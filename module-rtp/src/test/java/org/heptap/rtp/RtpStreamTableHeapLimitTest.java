package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * several hundred MB. Likewise the hold table of early RTP against a million fabricated flows.
 */
class RtpStreamTableHeapLimitTest {
    private static final int STREAMS = 1_000_000;
    private static final int LIMIT = 20_000;
    private static final Pattern FIGURES = Pattern.compile(
            "streams=(\\d+) endpoints=(\\d+) evictions=(\\d+) endpoint-evictions=(\\d+) bytes-per-stream=(-?\\d+)");

    private static final Pattern HELD =
            Pattern.compile("held=(\\d+) held-now=(\\d+) flows-evicted=(\\d+) unannounced=(\\d+) bytes-grown=(-?\\d+)");

    @TempDir
    Path dir;

    /** Runs {@code main} with {@code args} in a JVM with -Xmx64m; what it printed, after it exited 0. */
    private String underXmx64m(Class<?> main, String... args) throws Exception {
        Path log = dir.resolve(main.getSimpleName() + ".out");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
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
        return out;
    }

    @Test
    void a_million_streams_under_xmx64m_keep_the_table_at_its_limit_and_count_evictions() throws Exception {
        String out = underXmx64m(ManyStreamsMain.class, Integer.toString(STREAMS), Integer.toString(LIMIT));
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

    /**
     * Hostile traffic cannot grow the hold table of early RTP: a million fabricated flows no SDP
     * announces, 3 packets each, keep it at its default 1,024 flows of 100 packets (preallocated,
     * about 2 MB), every flow beyond evicted and counted, every packet held and, once pushed out,
     * unannounced.
     */
    @Test
    void a_million_fabricated_unannounced_flows_under_xmx64m_keep_the_hold_table_at_its_limit() throws Exception {
        String out = underXmx64m(ManyHeldFlowsMain.class, Integer.toString(STREAMS), "3");
        Matcher m = HELD.matcher(out);
        assertTrue(m.find(), out);
        RtpSettings d = RtpSettings.defaults();
        assertEquals(3L * STREAMS, Long.parseLong(m.group(1)), "held");
        assertEquals(3L * d.holdFlows(), Long.parseLong(m.group(2)), "held now: the last 1,024 flows' packets");
        assertEquals(STREAMS - d.holdFlows(), Long.parseLong(m.group(3)), "flows evicted");
        assertEquals(3L * (STREAMS - d.holdFlows()), Long.parseLong(m.group(4)), "unannounced");
        long bytes = Long.parseLong(m.group(5));
        assertTrue(bytes < 1L << 20, bytes + " bytes more than when the table was made");
        System.out.println("RtpStreamTableHeapLimitTest: " + out.trim());
    }
}
