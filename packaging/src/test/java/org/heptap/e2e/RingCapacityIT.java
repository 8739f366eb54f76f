package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call ring's bounds (issue 13, acceptance 4): a ring sized for about 1,000 calls (6 MB: 2 MB
 * of memory, 4 MB spilled to disk; 2,000 calls indexed) is fed 100,000 calls (make-bench-pcap: 7
 * SIP messages and 4 RTCP reports each, one call a second so about 30 overlap). Its memory and
 * its spill directory stay within their limits all along (the agent runs in the shipped 64 MB
 * heap), the evicted calls are counted, and the last calls export whole, SIP and RTCP.
 */
@Offline
class RingCapacityIT {
    private static final int CALLS = 100_000;
    private static final long MEMORY = 2L << 20;
    private static final long DISK = 4L << 20;

    @Test
    void a_ring_for_a_thousand_calls_fed_a_hundred_thousand_keeps_its_bounds_and_the_last_calls(@TempDir Path dir)
            throws Exception {
        assumeTrue(Env.onPath("tshark") && Env.onPath("python3"), "tshark and python3 are installed by bin/test-all");
        Path capture = dir.resolve("calls.pcap");
        Proc gen = Proc.run(
                Duration.ofMinutes(5),
                List.of(
                        Env.tool("make-bench-pcap").toString(),
                        "--calls",
                        Integer.toString(CALLS),
                        "--rate",
                        "1",
                        "--out",
                        capture.toString()));
        assertEquals(0, gen.exitCode(), gen.stderr());
        Path spill = dir.resolve("ring");
        Path yaml = CallRingIT.config(
                dir, "size: " + (MEMORY + DISK) + "\nmemory: " + MEMORY + "\ndirectory: " + spill + "\ncalls: 2000\n");
        Path socket = dir.resolve("ctl.sock");
        try (Proc agent = CallRingIT.replayAndStay(yaml, capture, socket, Duration.ofMinutes(10))) {
            JsonNode ring = Env.JSON
                    .readTree(CallRingIT.heptapctl(socket, "stats", "--json").stdout())
                    .path("modules")
                    .path("ring");
            assertEquals(CALLS, ring.path("calls").asLong(), ring.toString());
            assertTrue(ring.path("memory-bytes").asLong() <= MEMORY, ring.toString());
            assertTrue(ring.path("disk-bytes").asLong() <= DISK, ring.toString());
            assertTrue(ring.path("segments-spilled").asLong() > 0, ring.toString());
            assertEquals(0, ring.path("dropped-no-buffer").asLong(), "a replay waits for the keeper: " + ring);
            long onDisk;
            try (Stream<Path> files = Files.list(spill)) {
                onDisk = files.mapToLong(p -> p.toFile().length()).sum();
            }
            assertTrue(onDisk <= DISK, onDisk + " bytes in " + spill);
            long evicted = ring.path("calls-evicted").asLong();
            assertTrue(evicted >= CALLS - 2_000 && evicted < CALLS - 500, "calls evicted: " + evicted);

            JsonNode calls = Env.JSON.readTree(CallRingIT.heptapctl(socket, "calls", "--limit", "800", "--json")
                    .stdout());
            assertEquals(800, calls.path("calls").size(), "the ring holds the last calls: " + calls);
            // the newest calls, and one 700 calls back: each whole, its 7 SIP messages and 4 RTCP reports
            List<String> ids = new ArrayList<>();
            for (int i : new int[] {0, 1, 2, 700})
                ids.add(calls.path("calls").get(i).path("call-id").asText());
            for (String id : ids) {
                Path out = dir.resolve("last-" + ids.indexOf(id) + ".pcap");
                Proc p = CallRingIT.heptapctl(socket, "pcap", "--call-id", id, "--media", "-o", out.toString());
                assertEquals(0, p.exitCode(), p.stderr());
                List<String> frames = CallRingIT.tshark(
                                "-r", out.toString(), "-T", "fields", "-e", "sip.Call-ID", "-e", "rtcp.pt")
                        .stdout()
                        .lines()
                        .toList();
                assertEquals(11, frames.size(), id + ": " + frames);
                assertEquals(
                        7, frames.stream().filter(l -> l.startsWith(id + "\t")).count(), id + ": " + frames);
                assertEquals(
                        4, frames.stream().filter(l -> l.startsWith("\t200")).count(), id + ": " + frames);
            }
            assertTrue(agent.process.isAlive(), agent.stderr());
            assertFalse(agent.stderr().contains("OutOfMemoryError"), agent.stderr());
        }
    }
}
