package org.heptap.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.message.Message;
import org.heptap.core.plan.CompiledPlan;
import org.heptap.core.testing.CapturedLog;
import org.heptap.core.testing.TestConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plan that throws costs one packet and is logged, the first time always, then once per interval. */
class SocketPipelineTest {
    @TempDir
    Path dir;

    private CapturedLog log;

    @BeforeEach
    void listen() {
        log = CapturedLog.of(SocketPipeline.class);
    }

    @AfterEach
    void stopListening() {
        log.close();
    }

    private SocketPipeline failingPipeline(AtomicLong clock) throws Exception {
        AgentConfig c = TestConfig.oneSocket(dir, "sip", "capture[pcap] { drop; }\n", "", TestConfig.SILENT_CONSOLE);
        CompiledPlan throwing = new CompiledPlan() {
            @Override
            public int run(Message message) {
                throw new IllegalStateException("a plan function's bug");
            }

            @Override
            public String source() {
                return "plan.cfg";
            }
        };
        return new SocketPipeline(c.sockets().get(0), throwing, new SocketStats(), null, null, clock::get);
    }

    private long planErrorLines() {
        return log.messages().stream()
                .filter(m -> m.contains("plan failed on a packet"))
                .count();
    }

    /** System.nanoTime() has an arbitrary origin: it may be 0, small or negative when the first error comes. */
    @Test
    void the_first_plan_error_is_logged_whatever_the_clock_reads() throws Exception {
        for (long start : new long[] {0, 5_000_000_000L, -7_000_000_000L, Long.MIN_VALUE + 1}) {
            log.clear();
            AtomicLong clock = new AtomicLong(start);
            SocketPipeline p = failingPipeline(clock);
            p.planCollected(new Message());
            assertEquals(1, planErrorLines(), "first error at clock " + start);
            assertEquals(1, p.stats().planErrors());
        }
    }

    @Test
    void later_errors_are_logged_once_per_ten_seconds_and_all_counted() throws Exception {
        AtomicLong clock = new AtomicLong(-3_000_000_000L);
        SocketPipeline p = failingPipeline(clock);
        for (int i = 0; i < 5; i++) p.planCollected(new Message());
        assertEquals(1, planErrorLines());
        clock.addAndGet(9_999_999_999L);
        p.planCollected(new Message());
        assertEquals(1, planErrorLines(), "still within 10 s of the first line");
        clock.addAndGet(1);
        p.planCollected(new Message());
        assertEquals(2, planErrorLines());
        assertEquals(7, p.stats().planErrors());
        assertTrue(log.messages().get(1).contains("(7 so far; 5 more not logged)"), log.messages()::toString);
    }
}
