package org.heptap.e2e;

import static org.heptap.e2e.LiveSippIT.exitOrZeroOnSignal;
import static org.heptap.e2e.LiveSippIT.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Live RTP on lo with the quick flags. sipp calls with G.711 both ways, the audio starting as
 * soon as the answer is sent, checked against tcpdump's capture of the same traffic and listed by
 * heptapctl while up (see the second test); and RTP over IPv6: a call's first RTP packets both
 * ways before any SIP, then the call set up with INVITE/200 over ::1 whose SDP announces both
 * media ports, then the rest of the RTP: every packet is in the figures. The SIP socket's thread hands the SDP to the RTP
 * socket's thread; after the BYE and its grace, each stream's final report (HEP type 34,
 * correlated to the Call-ID) goes out on the RTP socket's timer while no packet arrives. Ports come from the free-port helper and only
 * reports of this test's Call-ID are looked at, so other traffic on lo does not matter.
 *
 * <p>Isolated: even when classes run in parallel (see {@link Offline}) no other class runs
 * meanwhile. The first test reads heptapctl while sipp's calls are up (8 s each), two heptapctl
 * starts in a row: a second class's CPU on a 2-core machine could let the calls end in between.
 */
@Isolated
class LiveRtpIT {
    private static final int PACKETS = 100;
    /** Packets of each direction sent before the INVITE: no SDP announces them when they arrive. */
    private static final int EARLY = 10;

    @Test
    void rtp_both_ways_gives_one_final_report_per_stream_after_the_bye() throws Exception {
        String callId = "live-rtp-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "@heptap.test";
        try (LiveV6Call call = LiveV6Call.start("rtp")) {
            // media before any SDP (early media; or the answer's SDP and the first RTP racing
            // through the agent's two capture threads): held, then analysed with the rest
            for (int i = 0; i < EARLY; i++) {
                send(call.mediaA, call.v6, call.mediaUas, rtp(i, 0x0A0A0A0AL));
                send(call.mediaB, call.v6, call.mediaUac, rtp(i, 0x0B0B0B0BL));
            }
            send(
                    call.uac,
                    call.v6,
                    call.sipUas,
                    sip(callId, "INVITE sip:bob@[::1]:" + call.sipUas + " SIP/2.0", call.sipUac, call.mediaUac));
            send(call.uas, call.v6, call.sipUac, sip(callId, "SIP/2.0 200 OK", call.sipUac, call.mediaUas));
            for (int i = EARLY; i < PACKETS; i++) {
                send(call.mediaA, call.v6, call.mediaUas, rtp(i, 0x0A0A0A0AL));
                send(call.mediaB, call.v6, call.mediaUac, rtp(i, 0x0B0B0B0BL));
            }
            Await.until(
                    () -> sipOfCall(call.sink.read(), callId) >= 2,
                    Duration.ofSeconds(30),
                    "INVITE and 200 of " + callId + " at hep-sink");
            // the BYE ends the call: bye-grace (5 s) later, on the RTP socket's timer (wall time
            // between packets), each stream's final report goes out while the agent runs on
            send(
                    call.uac,
                    call.v6,
                    call.sipUas,
                    sip(callId, "BYE sip:bob@[::1]:" + call.sipUas + " SIP/2.0", call.sipUac, 0));
            Await.until(
                    () -> finals(call.sink.read(), callId).size() >= 2,
                    Duration.ofSeconds(40),
                    "2 final RTP reports of " + callId + "; agent log:\n" + call.agent.stderr());
            call.agent.terminate(Duration.ofSeconds(20));
            assertEquals(0, exitOrZeroOnSignal(call.agent), call.agent.stderr());

            List<JsonNode> finals = finals(call.sink.stopAndRead(), callId);
            assertEquals(2, finals.size(), finals + "\n" + call.agent.stderr());
            for (JsonNode d : finals) {
                boolean aToB = d.get("src_port").asInt() == call.mediaUac;
                assertEquals(
                        aToB ? call.mediaUas : call.mediaUac, d.get("dst_port").asInt(), d.toString());
                assertEquals("::1", d.get("src_ip").asText());
                assertEquals(aToB ? 0x0A0A0A0AL : 0x0B0B0B0BL, d.get("ssrc").asLong(), d.toString());
                assertEquals(PACKETS, d.get("packets").asInt(), d.toString());
                assertEquals(0, d.get("lost").asInt(), d.toString());
                assertEquals("PCMU", d.get("codec").asText());
                assertTrue(d.get("mos").asDouble() >= 1 && d.get("mos").asDouble() <= 4.5, d.toString());
            }
        }
    }

    /** {@code heptap -i lo -p SIP_PORT -H udp:hep-sink} (quick sockets: SIP, RTCP, RTP analysis) with {@code more} flags. */
    static Proc quickAgent(int sipPort, HepSink sink, String... more) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Env.heptap().toString(),
                "-i",
                "lo",
                "-p",
                Integer.toString(sipPort),
                "-H",
                "udp:127.0.0.1:" + sink.udpPort));
        cmd.addAll(List.of(more));
        return Proc.start(cmd);
    }

    /** sipp's G.711 recording (package sip-tester, which brings sipp): 7 s of PCMA, 236 packets. */
    private static final List<Path> AUDIO =
            List.of(Path.of("/usr/share/sip-tester/g711a.pcap"), Path.of("/usr/share/sipp/g711a.pcap"));

    private static final int SIPP_CALLS = 3;

    /**
     * Acceptance: sipp places calls on lo whose audio (sipp's g711a.pcap) flows both ways, while
     * heptap (quick flags) and tcpdump capture the same traffic; heptap's final reports must match
     * tshark's RTP analysis of tcpdump's file for every stream ({@code rtp-compare}), each
     * correlated to its call, and while the calls are up {@code heptapctl calls} lists each with
     * both directions' live figures. Everything runs in a network namespace of the test's own, so
     * nobody else's traffic on lo is captured or analysed.
     */
    @Test
    void sipp_calls_with_rtp_both_ways_are_reported_as_tshark_measures_tcpdumps_file(@TempDir Path dir)
            throws Exception {
        assumeTrue(Env.onPath("sipp") && Env.onPath("tcpdump") && Env.onPath("tshark"), "installed by bin/test-all");
        Path audio = AUDIO.stream().filter(Files::isReadable).findFirst().orElse(null);
        assertTrue(audio != null, "sipp is installed but none of " + AUDIO + " (its G.711 recording) is there");
        Path uacScenario = scenario(dir, "uac_rtp.xml", audio);
        Path uasScenario = scenario(dir, "uas_rtp.xml", audio);
        Path pcap = dir.resolve("lo.pcap");
        Path control = dir.resolve("heptap.sock");
        NetNs ns = NetNs.createOrNull();
        assumeTrue(ns != null, "needs ip netns (root)");
        try (ns;
                HepSink sink = HepSink.startUdp(ns, 9060);
                Proc tcpdump = Proc.start(ns.command(LiveSippIT.tcpdumpLo(pcap, "udp and not port 9060")));
                Proc agent = Proc.start(ns.command(List.of(
                        Env.heptap().toString(),
                        "-i",
                        "lo",
                        "-p",
                        "5080-5081",
                        "-H",
                        "udp:127.0.0.1:9060",
                        "--control",
                        control.toString())))) {
            waitFor(tcpdump, "listening on", Duration.ofSeconds(20));
            waitFor(agent, "socket sip: interface lo", Duration.ofSeconds(60));
            waitFor(agent, "socket rtp: interface lo", Duration.ofSeconds(60));
            try (Proc uas = Proc.start(ns.command(List.of(
                    "sipp",
                    "-sf",
                    uasScenario.toString(),
                    "-i",
                    "127.0.0.1",
                    "-p",
                    "5080",
                    "-mp",
                    "20000",
                    "-nostdin")))) {
                HepSink.waitListening(5080, uas, "-Hlun", ns::command);
                try (Proc uac = Proc.start(ns.command(List.of(
                        "sipp",
                        "-sf",
                        uacScenario.toString(),
                        "127.0.0.1:5080",
                        "-i",
                        "127.0.0.1",
                        "-p",
                        "5081",
                        "-mp",
                        "30000",
                        "-m",
                        Integer.toString(SIPP_CALLS),
                        "-r",
                        Integer.toString(SIPP_CALLS),
                        "-nostdin",
                        "-timeout",
                        "60s")))) {
                    // while the calls are up, heptapctl lists each with both directions' live figures
                    // the last answer, and the last one listing the most directions (by the timeout the calls are over)
                    String[] listed = {"", ""};
                    Await.until(
                            () -> {
                                Proc ctl = CallRingIT.heptapctl(control, "--json", "calls");
                                listed[0] = ctl.stdout() + ctl.stderr();
                                if (directions(listed[0]) >= directions(listed[1])) listed[1] = listed[0];
                                return ctl.exitCode() == 0
                                        && measuredCalls(Env.JSON.readTree(ctl.stdout()))
                                                        .size()
                                                == SIPP_CALLS;
                            },
                            Duration.ofSeconds(30),
                            // made at the timeout, so it shows the answer last polled
                            () -> SIPP_CALLS + " calls with RTP both ways in heptapctl calls; last answer:\n"
                                    + listed[0] + "\nlast answer listing the most directions:\n" + listed[1]);
                    List<String> active = measuredCalls(Env.JSON.readTree(listed[0]));
                    Proc text = CallRingIT.heptapctl(control, "calls");
                    assertEquals(0, text.exitCode(), text.stderr());
                    for (String id : active)
                        assertTrue(
                                text.stdout()
                                                .lines()
                                                .filter(l -> l.startsWith(id) && l.contains(" -> "))
                                                .count()
                                        == 2,
                                id + " twice (one line per direction) in\n" + text.stdout());
                    assertTrue(uac.process.waitFor(60, TimeUnit.SECONDS), "sipp uac still running");
                    assertEquals(0, uac.exitCode(), "sipp uac: " + uac.stdout() + uac.stderr());
                }
            }
            // the BYEs end the calls: bye-grace (5 s) later each stream's final report goes out
            Await.until(
                    () -> finalsOfAnyCall(sink.read()).size() >= 2 * SIPP_CALLS || !agent.process.isAlive(),
                    Duration.ofSeconds(60),
                    2 * SIPP_CALLS + " final RTP reports at hep-sink; agent log:\n" + agent.stderr());
            agent.terminate(Duration.ofSeconds(20));
            tcpdump.terminate(Duration.ofSeconds(10));
            assertEquals(0, exitOrZeroOnSignal(agent), agent.stderr());
            List<JsonNode> got = sink.stopAndRead();
            assertEquals(2 * SIPP_CALLS, finalsOfAnyCall(got).size(), agent.stderr());

            // each media port belongs to the call whose SDP announced it
            List<String> cmd =
                    new ArrayList<>(List.of(Env.tool("rtp-compare").toString(), sink.out.toString(), pcap.toString()));
            for (var announced : mediaPorts(got).entrySet()) {
                cmd.add("--call");
                cmd.add(announced.getKey() + "=" + announced.getValue());
            }
            assertEquals(4 * SIPP_CALLS, cmd.size() - 3, "a media port per call and side: " + cmd);
            cmd.addAll(List.of("-d", "udp.port==5080,sip"));
            Proc cmp = Proc.run(Duration.ofSeconds(60), cmd);
            assertEquals(
                    0,
                    cmp.exitCode(),
                    "rtp-compare: " + cmp.stdout() + cmp.stderr() + "agent's rtp counters: "
                            + QuickReplay.moduleCounters(agent.stderr(), "rtp"));
            assertTrue(cmp.stdout().startsWith("ok " + 2 * SIPP_CALLS + "/" + 2 * SIPP_CALLS), cmp.stdout());
            // every packet analysed, those that beat their SDP held and replayed (held-replayed)
            Map<String, Long> rtp = QuickReplay.moduleCounters(agent.stderr(), "rtp");
            System.out.println("LiveRtpIT sipp: agent's rtp counters: " + rtp);
            assertEquals(0L, rtp.get("unannounced"), rtp.toString());
            assertEquals(0L, rtp.get("held-now"), rtp.toString());
            assertEquals(rtp.get("held"), rtp.get("held-replayed"), rtp.toString());
        }
    }

    /** The scenario from the test resources, with the audio file it plays. */
    private static Path scenario(Path dir, String name, Path audio) throws Exception {
        String xml = Files.readString(Env.home().resolve("packaging/src/test/resources/sipp/" + name));
        return Files.writeString(dir.resolve(name), xml.replace("@AUDIO_PCAP@", audio.toString()));
    }

    /** Media directions in a {@code heptapctl --json calls} answer (0 when it is none). */
    private static int directions(String answer) {
        return answer.split("\"from\"", -1).length - 1;
    }

    /** Call-IDs of the calls heptapctl lists with two directions that both carried packets. */
    private static List<String> measuredCalls(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        for (JsonNode c : answer.findValue("calls")) {
            JsonNode dirs = c.get("directions");
            boolean both = dirs.size() == 2;
            for (JsonNode d : dirs) {
                both &= d.get("packets").asLong() > 0
                        && d.has("lost")
                        && d.get("jitter_ms").asDouble() >= 0
                        && d.get("mos").asDouble() >= 1
                        && d.get("mos").asDouble() <= 4.5;
            }
            if (both) ids.add(c.get("call-id").asText());
        }
        return ids;
    }

    private static final Pattern SDP_AUDIO = Pattern.compile("(?m)^m=audio (\\d+) ");
    private static final Pattern CALL_ID = Pattern.compile("(?mi)^Call-ID:\\s*(\\S+)");

    /** Media port → Call-ID, from the SDP of the SIP messages hep-sink received. */
    private static Map<Integer, String> mediaPorts(List<JsonNode> got) {
        Map<Integer, String> ports = new TreeMap<>();
        for (JsonNode m : got) {
            if (m.path("payloadType").asInt() != 1) continue;
            String sip = m.path("payload").asText();
            Matcher audio = SDP_AUDIO.matcher(sip);
            Matcher id = CALL_ID.matcher(sip);
            if (audio.find() && id.find()) ports.put(Integer.parseInt(audio.group(1)), id.group(1));
        }
        return ports;
    }

    private static List<JsonNode> finalsOfAnyCall(List<JsonNode> got) {
        return got.stream()
                .filter(m -> m.path("payloadType").asInt() == 34)
                .map(LiveRtpIT::doc)
                .filter(d -> d.path("final").asBoolean())
                .toList();
    }

    private static List<JsonNode> finals(List<JsonNode> got, String callId) {
        return got.stream()
                .filter(m -> m.path("payloadType").asInt() == 34
                        && callId.equals(m.path("correlation_id").asText()))
                .map(LiveRtpIT::doc)
                .filter(d -> d.path("final").asBoolean())
                .toList();
    }

    private static long sipOfCall(List<JsonNode> got, String callId) {
        return got.stream()
                .filter(m -> m.path("payloadType").asInt() == 1
                        && m.path("payload").asText().contains(callId))
                .count();
    }

    private static JsonNode doc(JsonNode m) {
        try {
            return Env.JSON.readTree(m.get("payload").asText());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void send(DatagramSocket from, InetAddress to, int port, byte[] data) throws Exception {
        from.send(new DatagramPacket(data, data.length, new InetSocketAddress(to, port)));
    }

    /** A PCMU packet of 20 ms (160 samples) with sequence {@code seq}. */
    static byte[] rtp(int seq, long ssrc) {
        byte[] p = new byte[172];
        p[0] = (byte) 0x80;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        long ts = 160L * seq;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        return p;
    }

    /** A request or response of the call; with {@code rtpPort} > 0 it carries an SDP naming that media port. */
    static byte[] sip(String callId, String firstLine, int uacPort, int rtpPort) {
        String cseq = firstLine.startsWith("BYE") ? "2 BYE" : "1 INVITE";
        String body = rtpPort > 0
                ? "v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio " + rtpPort
                        + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
                : "";
        String head = firstLine + "\r\n"
                + "Via: SIP/2.0/UDP [::1]:" + uacPort + ";branch=z9hG4bK-rtp-" + cseq.charAt(0) + "\r\n"
                + "From: <sip:alice@[::1]>;tag=a1\r\nTo: <sip:bob@[::1]>;tag=b1\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + cseq + "\r\nContact: <sip:alice@[::1]:" + uacPort + ">\r\n"
                + "Max-Forwards: 70\r\n"
                + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.US_ASCII).length + "\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }
}
