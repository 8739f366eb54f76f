package org.heptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.heptap.core.log.LogSetup;
import org.junit.jupiter.api.Test;

/** The rehearsal before live capture: runs on the bundled sample, quietly, and leaves nothing behind. */
class WarmUpTest {
    /** The repository's sample call (tests run in heptap-cli/). */
    private static final Path SAMPLE = Path.of("..", "conf", "samples", "sample-call.pcap");

    @Test
    void rehearses_on_the_sample_then_stops_every_thread_it_started_and_restores_the_log_level() throws Exception {
        LogSetup.setLevel("info");
        Level atInfo = Logger.getLogger("org.heptap").getLevel();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Set<Path> plansBefore = planFolders();
        String said = WarmUp.run(SAMPLE, 20);
        assertEquals(plansBefore, planFolders(), "the rehearsal's quick plans are removed at once");
        assertTrue(said.startsWith("replayed the sample call 20 times in "), said);
        assertEquals(atInfo, Logger.getLogger("org.heptap").getLevel(), "the agent's level is put back");
        // the rehearsal's transports and modules are closed; their threads end (Netty's shortly after)
        long deadline = System.nanoTime() + 10_000_000_000L;
        Set<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t ->
                            t.isAlive() && !before.contains(t) && !t.getName().equals("JNA Cleaner"))
                    .map(Thread::getName)
                    .collect(Collectors.toSet());
            if (left.isEmpty()) break;
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        assertEquals(Set.of(), left, "threads the rehearsal left running");
    }

    private static Set<Path> planFolders() throws java.io.IOException {
        try (var s = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("heptap-plan"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void without_a_sample_it_says_so_and_does_nothing() {
        Path missing = Path.of("/nonexistent/heptap-test/sample-call.pcap");
        assertEquals("skipped: no sample call at " + missing, WarmUp.run(missing, 20));
    }
}
