package org.heptap.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.heptap.core.capture.Frame;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.SocketSettings;
import org.heptap.core.decode.DecodeResult;
import org.heptap.core.message.Message;
import org.heptap.core.plan.CompiledPlan;
import org.heptap.core.plan.PlanTimer;
import org.heptap.core.spi.CaptureFilterClause;
import org.heptap.core.spi.SocketTimer;
import org.heptap.core.testing.TestConfig;
import org.heptap.core.testing.TestFrames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay decodes each frame once per decode options and hands the packet only to the sockets
 * whose capture filter (transport, ports, modules' clauses) would have passed it live.
 */
class ReplayFanoutTest {
    @TempDir
    Path dir;

    private static final long T0 = 1_700_000_000_000_000L;

    /** Passes only payloads whose first byte has version 2 in its top bits (an RTP-like shape). */
    private static final CaptureFilterClause VERSION_2 = CaptureFilterClause.of(
            "test-shape",
            "udp[8] & 0xc0 = 0x80",
            m -> m.payloadLength() > 0 && (m.payload()[m.payloadOffset()] & 0xc0) == 0x80);

    private final List<String> seen = new ArrayList<>();
    private final List<Long> sipTicks = new ArrayList<>();

    @Test
    void each_frame_is_decoded_once_and_reaches_only_the_sockets_that_capture_it() throws Exception {
        AgentConfig c = TestConfig.load(dir, "capture[pcap] { drop; }\n", """
                agent:
                  capture-plans: %s
                sockets:
                  sip:
                    port-range: 5060-5090
                    transport: udp
                    capture-plan: plan.cfg
                  media:
                    port-range: 1024-65535
                    transport: udp
                    capture-plan: plan.cfg
                  deduped:
                    port-range: 1-65535
                    dedup: true
                    capture-plan: plan.cfg
                transports:
                """ + TestConfig.SILENT_CONSOLE.indent(2));
        SocketPipeline sip = pipeline(c.sockets().get(0), true);
        SocketPipeline media = pipeline(withClause(c.sockets().get(1), VERSION_2), false);
        SocketPipeline deduped = pipeline(c.sockets().get(2), false);
        ReplayFanout fanout = new ReplayFanout(new SocketPipeline[] {sip, media, deduped});
        assertEquals(2, fanout.decoders(), "sip and media decode alike; deduped has options of its own");
        assertSame(sip.decoder(), media.decoder());

        byte[] rtp = new byte[172];
        rtp[0] = (byte) 0x80;
        fanout.onFrame(frame(SocketPipelineTest.udpFrame(ascii("OPTIONS sip:a SIP/2.0\r\n")), 0));
        fanout.onFrame(frame(TestFrames.udp(false, rtp), 2_000_000)); // 40000 -> 50000
        fanout.onFrame(frame(TestFrames.udp(false, ascii("hello")), 2_000_001));
        fanout.onFrame(frame(new byte[10], 2_000_002)); // shorter than an Ethernet header
        fanout.onFrame(frame(TestFrames.udp(false, rtp), 2_000_003)); // a duplicate for deduped

        assertEquals(
                List.of(
                        "sip 5060",
                        "deduped 5060", // not version 2: not media's
                        "media 50000",
                        "deduped 50000", // not SIP's ports
                        "deduped 50000", // neither SIP's ports nor the media shape
                        "media 50000"), // deduped drops the copy
                seen);
        assertEquals(5, sip.decoder().stats().frames(), "each frame decoded once for sip and media");
        assertEquals(5, deduped.decoder().stats().frames());
        assertEquals(1, deduped.decoder().stats().count(DecodeResult.DUPLICATE));
        // each socket counts the frames its filter passed and those that yield no packet
        assertEquals(2, sip.stats().frames());
        assertEquals(3, media.stats().frames());
        assertEquals(5, deduped.stats().frames());
        for (SocketPipeline p : List.of(sip, media, deduped)) {
            assertEquals(0, p.stats().notAdmitted(), p.settings().name());
            assertEquals(1, p.stats().decodeFailed(), p.settings().name() + ": the runt");
        }
        // the sip socket's clock followed the frames it did not capture: its 1 s timer ran at 2 s
        assertEquals(List.of(T0 + 2_000_000), sipTicks);
    }

    @Test
    void a_packet_several_sockets_capture_reaches_each_plan_as_decoded_whatever_the_plans_before_changed()
            throws Exception {
        AgentConfig c = TestConfig.load(dir, "capture[pcap] { drop; }\n", """
                agent:
                  capture-plans: %s
                sockets:
                  first:
                    port-range: 1-65535
                    capture-plan: plan.cfg
                  second:
                    port-range: 1-65535
                    capture-plan: plan.cfg
                  third:
                    port-range: 1-65535
                    capture-plan: plan.cfg
                transports:
                """ + TestConfig.SILENT_CONSOLE.indent(2));
        List<Message> messages = new ArrayList<>();
        SocketPipeline[] ps = new SocketPipeline[3];
        for (int i = 0; i < 3; i++) {
            String name = c.sockets().get(i).name();
            CompiledPlan changes = new CompiledPlan() {
                @Override
                public int run(Message m) {
                    seen.add(name + " tags[" + m.tags() + "] " + m.payloadLength() + " bytes");
                    messages.add(m);
                    m.addTag("by", name); // plans change their message: tags, payload (a parser's rewrite)
                    m.setPayload(m.payload(), m.payloadOffset(), 1);
                    return 1;
                }

                @Override
                public String source() {
                    return "plan.cfg";
                }
            };
            ps[i] = new SocketPipeline(c.sockets().get(i), changes, new SocketStats());
        }
        ReplayFanout fanout = new ReplayFanout(ps);
        for (int n = 0; n < 2; n++) fanout.onFrame(frame(TestFrames.udp(false, ascii("hello")), n));

        List<String> once = List.of("first tags[] 5 bytes", "second tags[] 5 bytes", "third tags[] 5 bytes");
        List<String> twice = new ArrayList<>(once);
        twice.addAll(once);
        assertEquals(twice, seen);
        // the last taker runs on the decoder's message; the others on copies of it, their own
        for (int i = 0; i < 2; i++) assertSame(ps[i].collected().message(), messages.get(i), "socket " + i);
        assertNotSame(ps[2].collected().message(), messages.get(2));
        assertNotSame(messages.get(0), messages.get(2));
        assertNotSame(messages.get(1), messages.get(2));
        for (int i = 0; i < 3; i++) assertSame(messages.get(i), messages.get(i + 3));
        for (SocketPipeline p : ps)
            assertEquals(2, p.stats().frames(), p.settings().name());
    }

    private SocketPipeline pipeline(SocketSettings s, boolean withTimer) {
        CompiledPlan plan = new CompiledPlan() {
            @Override
            public int run(Message m) {
                seen.add(s.name() + " " + m.dstPort());
                return 0;
            }

            @Override
            public String source() {
                return "plan.cfg";
            }

            @Override
            public List<PlanTimer> timers() {
                if (!withTimer) return List.of();
                return List.of(new PlanTimer(
                        new SocketTimer() {
                            @Override
                            public void tick(long nowMicros) {
                                sipTicks.add(nowMicros);
                            }

                            @Override
                            public void endOfInput(long nowMicros) {}
                        },
                        1_000_000));
            }
        };
        return new SocketPipeline(s, plan, new SocketStats());
    }

    private static SocketSettings withClause(SocketSettings s, CaptureFilterClause clause) {
        return new SocketSettings(
                s.name(),
                s.device(),
                s.promiscuous(),
                s.snaplen(),
                s.bufferSize(),
                s.immediate(),
                s.readTimeout(),
                s.ports(),
                s.transportFilter(),
                s.filter(),
                s.plan(),
                s.planDisplay(),
                s.file(),
                s.planLine(),
                List.of(clause),
                s.decode(),
                s.tcp(),
                s.collector(),
                s.discards());
    }

    private static Frame frame(byte[] bytes, long offsetMicros) {
        Frame f = new Frame();
        System.arraycopy(bytes, 0, f.data, 0, bytes.length);
        f.length = bytes.length;
        f.wireLength = bytes.length;
        f.linkType = 1;
        f.setTimeMicros(T0 + offsetMicros);
        return f;
    }

    private static Frame frame(Frame f, long offsetMicros) {
        f.setTimeMicros(T0 + offsetMicros);
        return f;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
