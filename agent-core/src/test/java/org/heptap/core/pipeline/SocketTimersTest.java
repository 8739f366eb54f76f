package org.heptap.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.heptap.core.capture.Frame;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.Problems;
import org.heptap.core.plan.CompiledPlan;
import org.heptap.core.plan.FunctionRegistry;
import org.heptap.core.plan.PlanCompiler;
import org.heptap.core.plan.TransportResolver;
import org.heptap.core.spi.PlanFunction;
import org.heptap.core.spi.SocketTimer;
import org.heptap.core.testing.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan function's timer runs on the socket's clock: packet time of each frame, wall time of
 * idle read timeouts, and once at the end of input; the clock never goes back within one input.
 */
class SocketTimersTest {
    @TempDir
    Path dir;

    private final List<String> calls = new ArrayList<>();

    private final SocketTimer recorder = new SocketTimer() {
        @Override
        public void tick(long nowMicros) {
            calls.add("tick " + nowMicros);
        }

        @Override
        public void endOfInput(long nowMicros) {
            calls.add("end " + nowMicros);
        }
    };

    /** A plan whose one call asks for a timer every {@code period} µs, compiled as a socket's plan is. */
    private CompiledPlan plan(long period) {
        FunctionRegistry registry = new FunctionRegistry();
        registry.register(PlanFunction.of("every", 0, (args, ctx) -> {
            ctx.addTimer(recorder, period);
            return m -> 1;
        }));
        Problems problems = new Problems();
        CompiledPlan p = new PlanCompiler(registry, TransportResolver.none())
                .compile("capture { every(); drop; }", "p.cfg", "rtp", problems);
        assertEquals(List.of(), problems.errors());
        return p;
    }

    private SocketPipeline pipeline(CompiledPlan plan) throws Exception {
        AgentConfig c = TestConfig.oneSocket(dir, "rtp", "capture[pcap] { drop; }\n", "", TestConfig.SILENT_CONSOLE);
        return new SocketPipeline(c.sockets().get(0), plan, new SocketStats());
    }

    private static Frame frameAt(long micros) {
        Frame f = new Frame();
        f.length = 0;
        f.timestampMicros = micros;
        return f;
    }

    @Test
    void the_compiled_plan_carries_the_timers_its_calls_asked_for() {
        CompiledPlan p = plan(1_000_000);
        assertEquals(1, p.timers().size());
        assertEquals(1_000_000, p.timers().get(0).periodMicros());
    }

    @Test
    void ticks_follow_packet_time_at_each_multiple_of_the_period() throws Exception {
        SocketPipeline p = pipeline(plan(1_000_000));
        p.onFrame(frameAt(10_200_000)); // starts the clock: the next tick is due at 11 s
        p.onFrame(frameAt(10_900_000));
        assertEquals(List.of(), calls);
        p.onFrame(frameAt(11_000_000));
        p.onFrame(frameAt(11_500_000));
        p.onFrame(frameAt(14_300_000)); // 12, 13 and 14 s passed without a packet: one tick, not three
        p.onFrame(frameAt(13_000_000)); // out of order: the clock does not go back
        assertEquals(List.of("tick 11000000", "tick 14300000"), calls);
    }

    @Test
    void idle_read_timeouts_advance_the_clock_between_packets() throws Exception {
        SocketPipeline p = pipeline(plan(10_000_000));
        p.onFrame(frameAt(100_000_000));
        p.idle(105_000_000);
        p.idle(110_000_001);
        p.idle(110_500_000);
        assertEquals(List.of("tick 110000001"), calls);
    }

    @Test
    void end_of_input_is_told_with_the_last_time_and_the_next_input_starts_a_fresh_clock() throws Exception {
        SocketPipeline p = pipeline(plan(1_000_000));
        p.onFrame(frameAt(50_000_000));
        p.onFrame(frameAt(50_400_000));
        p.endOfInput(50_400_000);
        // a replay's second pass starts at the file's first packet again
        p.onFrame(frameAt(50_000_000));
        p.onFrame(frameAt(51_000_000));
        assertEquals(List.of("end 50400000", "tick 51000000"), calls);
    }

    @Test
    void a_failing_timer_is_counted_and_the_socket_goes_on() throws Exception {
        FunctionRegistry registry = new FunctionRegistry();
        registry.register(PlanFunction.of("boom", 0, (args, ctx) -> {
            ctx.addTimer(
                    new SocketTimer() {
                        @Override
                        public void tick(long nowMicros) {
                            throw new IllegalStateException("a timer's bug");
                        }

                        @Override
                        public void endOfInput(long nowMicros) {}
                    },
                    1_000);
            return m -> 1;
        }));
        CompiledPlan plan = new PlanCompiler(registry, TransportResolver.none())
                .compile("capture { boom(); }", "p.cfg", "rtp", new Problems());
        SocketPipeline p = pipeline(plan);
        p.onFrame(frameAt(1_000_500));
        p.onFrame(frameAt(1_002_000));
        p.onFrame(frameAt(1_003_000));
        assertEquals(2L, p.counters().get("timer-errors"));
        assertEquals(3, p.stats().frames());
    }
}
