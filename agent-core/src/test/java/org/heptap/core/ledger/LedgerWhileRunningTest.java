package org.heptap.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.PacketSource;
import org.heptap.core.capture.PcapFileSource;
import org.heptap.core.capture.TestCorpus;
import org.heptap.core.config.Problems;
import org.heptap.core.pipeline.Agent;
import org.heptap.core.pipeline.SocketPipeline;
import org.heptap.core.testing.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger read while a socket's thread is counting packets (heptapctl stats, the metrics
 * endpoint) sees each socket's counters as of a packet boundary: its decode and plan stages
 * balance at every reading, not only once traffic stops.
 */
@Timeout(120)
class LedgerWhileRunningTest {
    @TempDir
    Path dir;

    /** Every frame of a capture, copied. */
    private static List<Frame> frames(String capture) throws Exception {
        List<Frame> out = new ArrayList<>();
        try (PcapFileSource source = PcapFileSource.open(TestCorpus.file(capture))) {
            Frame f = new Frame();
            int r;
            while ((r = source.next(f)) != PacketSource.END) {
                if (r != PacketSource.PACKET) continue;
                Frame copy = new Frame();
                copy.data = Arrays.copyOfRange(f.data, f.offset, f.offset + f.length);
                copy.length = f.length;
                copy.wireLength = f.wireLength;
                copy.timestampMicros = f.timestampMicros;
                copy.linkType = f.linkType;
                out.add(copy);
            }
        }
        return out;
    }

    @Test
    void socket_stages_balance_at_every_reading_while_packets_flow() throws Exception {
        Problems problems = new Problems();
        Agent agent = Agent.prepare(
                TestConfig.oneSocket(dir, "sip", "capture[pcap] { drop; }\n", "", TestConfig.SILENT_CONSOLE), problems);
        assertNotNull(agent, problems.errors()::toString);
        SocketPipeline p = agent.pipelines().get(0);
        List<Frame> frames = frames("sip-udp-v4.pcap");
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong fed = new AtomicLong();
        Thread capture = new Thread(
                () -> {
                    while (!done.get()) {
                        for (Frame f : frames) p.onFrame(f);
                        fed.addAndGet(frames.size());
                    }
                },
                "capture-sip");
        capture.start();
        List<String> unbalanced = new ArrayList<>();
        try {
            // at least 2000 readings, and on until the capture thread has fed a whole pass: on a
            // busy machine it may not have been scheduled before the 2000th
            long deadline = System.nanoTime() + 30_000_000_000L;
            for (int i = 0; i < 2_000 || fed.get() == 0; i++) {
                if (System.nanoTime() - deadline >= 0)
                    fail("after 30 s and " + i + " readings the capture thread has fed " + fed.get()
                            + " packets (wanted 2000 readings and a whole pass of the capture)");
                for (LossLedger.Stage s : LossLedger.of(agent).stages()) {
                    if (!s.balanced() && unbalanced.size() < 5) unbalanced.add("reading " + i + ": " + s);
                }
            }
        } finally {
            done.set(true);
            capture.join(10_000);
        }
        assertTrue(fed.get() > 0, "the capture thread ran");
        assertEquals(List.of(), unbalanced, "stages that did not balance while packets flowed");
        assertTrue(LossLedger.of(agent).balanced(), "and once they stopped");
    }
}
