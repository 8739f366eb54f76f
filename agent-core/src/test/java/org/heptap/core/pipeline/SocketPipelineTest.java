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

    /** An Ethernet/IPv4/UDP frame 10.0.0.1:5060 -> 10.0.0.2:5060 carrying {@code payload}. */
    static org.heptap.core.capture.Frame udpFrame(byte[] payload) {
        org.heptap.core.capture.Frame f = new org.heptap.core.capture.Frame();
        byte[] d = f.data;
        int ipLen = 20 + 8 + payload.length;
        d[12] = 0x08; // EtherType IPv4
        d[14] = 0x45;
        d[16] = (byte) (ipLen >> 8);
        d[17] = (byte) ipLen;
        d[22] = 64;
        d[23] = 17; // UDP
        byte[] addrs = {10, 0, 0, 1, 10, 0, 0, 2};
        System.arraycopy(addrs, 0, d, 26, 8);
        d[34] = 0x13;
        d[35] = (byte) 0xc4; // 5060
        d[36] = 0x13;
        d[37] = (byte) 0xc4;
        d[38] = (byte) ((8 + payload.length) >> 8);
        d[39] = (byte) (8 + payload.length);
        System.arraycopy(payload, 0, d, 42, payload.length);
        f.length = 42 + payload.length;
        f.wireLength = f.length;
        f.linkType = 1;
        f.setTimeMicros(1_700_000_000_000_000L);
        return f;
    }

    /** A recorder sees each message before the plan with the frame it came out of; collected messages have none. */
    @Test
    void recorders_see_each_message_with_its_frame_before_the_plan() throws Exception {
        AgentConfig c = TestConfig.oneSocket(dir, "sip", "capture[pcap] { drop; }\n", "", TestConfig.SILENT_CONSOLE);
        java.util.List<String> seen = new java.util.ArrayList<>();
        CompiledPlan plan = new CompiledPlan() {
            @Override
            public int run(Message message) {
                seen.add("plan");
                return 0;
            }

            @Override
            public String source() {
                return "plan.cfg";
            }
        };
        SocketPipeline p = new SocketPipeline(c.sockets().get(0), plan, new SocketStats());
        org.heptap.core.capture.Frame frame = udpFrame("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        p.setRecorders(java.util.List.of(new org.heptap.core.spi.FrameRecorder() {
            @Override
            public boolean records(String socketName) {
                return true;
            }

            @Override
            public void record(Message m, org.heptap.core.capture.Frame f) {
                assertTrue(f == frame, "the frame being decoded");
                seen.add("record "
                        + new String(
                                m.payload(),
                                m.payloadOffset(),
                                m.payloadLength(),
                                java.nio.charset.StandardCharsets.US_ASCII)
                        + " " + f.length);
            }
        }));
        p.onFrame(frame);
        assertEquals(java.util.List.of("record hello 47", "plan"), seen);
        seen.clear();
        p.planCollected(new Message());
        assertEquals(java.util.List.of("plan"), seen, "a collected message is no captured frame");
        p.setRecorders(java.util.List.of());
        seen.clear();
        p.onFrame(frame);
        assertEquals(java.util.List.of("plan"), seen);
    }
}
