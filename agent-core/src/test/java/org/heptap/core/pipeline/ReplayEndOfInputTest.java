package org.heptap.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.PacketSource;
import org.heptap.core.capture.PcapFileSource;
import org.heptap.core.capture.ReplayPacer;
import org.heptap.core.capture.TestCorpus;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.Problems;
import org.heptap.core.message.Message;
import org.heptap.core.spi.PlanFunction;
import org.heptap.core.spi.SocketTimer;
import org.heptap.core.testing.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay ends each pass by telling the plans' timers, on the reading thread, with the time of
 * the file's last packet; the timer's work is done before {@link Agent#runFile} returns (and so
 * before the transports are drained).
 */
class ReplayEndOfInputTest {
    @TempDir
    Path dir;

    private final List<String> events = new ArrayList<>();
    private long lastPacket;

    private Agent agent() throws Exception {
        AgentConfig c =
                TestConfig.oneSocket(dir, "sip", "capture[pcap] { watch(); drop; }\n", "", TestConfig.SILENT_CONSOLE);
        c.functions().register(PlanFunction.of("watch", 0, (args, ctx) -> {
            ctx.addTimer(
                    new SocketTimer() {
                        @Override
                        public void tick(long nowMicros) {}

                        @Override
                        public void endOfInput(long nowMicros) {
                            events.add("end " + nowMicros + " on "
                                    + Thread.currentThread().getName());
                        }
                    },
                    1_000_000);
            return (Message m) -> {
                lastPacket = m.timestampMicros();
                return 1;
            };
        }));
        Problems problems = new Problems();
        Agent agent = Agent.prepare(c, problems);
        assertNotNull(agent, problems.errors()::toString);
        return agent;
    }

    @Test
    void each_pass_ends_with_the_timers_told_the_last_packets_time() throws Exception {
        Agent agent = agent();
        Supplier<ReplayPacer> pacers = ReplayPacer::max;
        agent.runFile(TestCorpus.file("sip-methods.pcap"), pacers, 2);
        agent.shutdown(Duration.ofSeconds(5));
        assertTrue(lastPacket > 0, "the plan ran");
        long lastFrame = lastFrameTime(TestCorpus.file("sip-methods.pcap"));
        String thread = Thread.currentThread().getName();
        assertEquals(List.of("end " + lastFrame + " on " + thread, "end " + lastFrame + " on " + thread), events);
    }

    private static long lastFrameTime(Path file) throws Exception {
        try (PcapFileSource src = PcapFileSource.open(file)) {
            Frame f = new Frame();
            long last = 0;
            while (src.next(f) == PacketSource.PACKET) last = f.timestampMicros;
            return last;
        }
    }
}
