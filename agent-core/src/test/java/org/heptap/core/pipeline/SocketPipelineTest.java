package org.heptap.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.ConfigLoader;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.heptap.core.message.Message;
import org.heptap.core.plan.CompiledPlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plan that throws costs one packet and is logged, the first time always, then once per interval. */
class SocketPipelineTest {
    @TempDir Path dir;
    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger logger = Logger.getLogger(SocketPipeline.class.getName());
    private final Handler handler = new Handler() {
        @Override public void publish(LogRecord r) { synchronized (logged) { logged.add(r); } }
        @Override public void flush() {}
        @Override public void close() {}
    };

    @BeforeEach
    void listen() { logger.addHandler(handler); }

    @AfterEach
    void stopListening() { logger.removeHandler(handler); }

    private SocketPipeline failingPipeline(AtomicLong clock) throws Exception {
        Files.writeString(dir.resolve("plan.cfg"), "capture[pcap] { drop; }\n");
        String yaml = """
                agent:
                  capture-plans: %s
                sockets:
                  sip:
                    capture-plan: plan.cfg
                transports:
                  console:
                    type: console
                    mode: never
                """.formatted(dir);
        Problems problems = new Problems();
        AgentConfig c = new ConfigLoader(true, false, ConfigLoader.Overrides.NONE)
                .build(ConfigNode.parse(new StringReader(yaml), "test.yaml", problems), dir, dir, problems);
        assertNotNull(c, problems.errors()::toString);
        CompiledPlan throwing = new CompiledPlan() {
            @Override public int run(Message message) { throw new IllegalStateException("a plan function's bug"); }
            @Override public String source() { return "plan.cfg"; }
        };
        return new SocketPipeline(c.sockets().get(0), throwing, new SocketStats(), null, clock::get);
    }

    private long planErrorLines() {
        synchronized (logged) { return logged.stream().filter(r -> r.getMessage().contains("plan failed on a packet")).count(); }
    }

    /** System.nanoTime() has an arbitrary origin: it may be 0, small or negative when the first error comes. */
    @Test
    void the_first_plan_error_is_logged_whatever_the_clock_reads() throws Exception {
        for (long start : new long[] {0, 5_000_000_000L, -7_000_000_000L, Long.MIN_VALUE + 1}) {
            logged.clear();
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
        assertTrue(logged.get(1).getMessage().contains("7 so far"), logged.get(1).getMessage());
    }
}
