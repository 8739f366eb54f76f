package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user runs first: the bundled configuration exactly as shipped ({@code device: any},
 * HEP to 127.0.0.1:9060), and {@code heptap -i any}. Each runs in a network namespace of the
 * test's own, whose lo carries only the test's sipp calls and where hep-sink can take port 9060,
 * so the shipped file needs no change at all. hep-sink must get every SIP message tcpdump saw.
 */
class ShippedConfigIT {
    private static final int CALLS = 10;
    private static final int UAS_PORT = 5060;
    private static final int UAC_PORT = 5061;
    /** The shipped configuration's collector: transports.hepsocket, udp 127.0.0.1:9060. */
    private static final int SHIPPED_HEP_PORT = 9060;

    @Test
    void the_shipped_configuration_captures_on_any_and_sends_to_its_collector(@TempDir Path dir) throws Exception {
        Path shipped = Env.home().resolve("conf/heptap.yaml");
        String log =
                everySipMessageReachesTheSink(dir, List.of(Env.heptap().toString(), "--config", shipped.toString()));
        assertTrue(log.contains("socket sip: interface any"), log);
        assertTrue(log.contains("socket rtcp: interface any"), log);
        assertTrue(log.contains("socket rtp: interface any"), log);
        // agent.warm-up (on in the shipped file): the rehearsal ran once the capture handles were
        // open, and none of it reached the collector or the counters (the sink got exactly the
        // calls' messages, above, and the socket sent exactly those)
        int warm = log.indexOf("INFO Main: warm-up: replayed the sample call 300 times in ");
        assertTrue(warm > log.indexOf("socket sip: interface any"), log);
        assertTrue(log.contains("INFO Agent: socket sip: frames " + CALLS * 6 + ","), log);
    }

    @Test
    void quick_flags_capture_on_any(@TempDir Path dir) throws Exception {
        String log = everySipMessageReachesTheSink(
                dir, List.of(Env.heptap().toString(), "-i", "any", "-H", "udp:127.0.0.1:" + SHIPPED_HEP_PORT));
        assertTrue(log.contains("socket sip: interface any"), log);
    }

    /** A filter libpcap refuses: a short line naming the device and libpcap's reason, then one with the filter. */
    @Test
    void a_refused_filter_is_reported_device_and_reason_first(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("drop.cfg"), "capture[pcap] { drop; }\n");
        Path yaml = Files.writeString(dir.resolve("heptap.yaml"), """
                agent: { capture-plans: ., warm-up: false }
                sockets:
                  sip: { device: any, filter: "vlan 100", capture-plan: drop.cfg }
                """);
        try (NetNs ns = netNs()) {
            Proc agent = Proc.run(
                    Duration.ofSeconds(60), ns.command(List.of(Env.heptap().toString(), "--config", yaml.toString())));
            String log = agent.stderr();
            assertEquals(3, agent.exitCode(), log);
            assertTrue(!log.contains("warm-up:"), "agent.warm-up: false: no rehearsal\n" + log);
            String error = log.lines()
                    .filter(l -> l.contains(" ERROR "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(log));
            assertTrue(
                    error.endsWith("ERROR Main: cannot capture on \"any\": libpcap refused the capture filter: "
                            + "no VLAN support for Linux cooked v1 (link type 113 (Linux SLL))"),
                    error);
            assertTrue(error.length() < 200, "a short line: " + error);
            String next = log.lines()
                    .dropWhile(l -> !l.equals(error))
                    .skip(1)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(log));
            assertTrue(
                    next.contains("ERROR Main: the refused filter on \"any\": ((((udp or tcp)")
                            && next.endsWith(" and (vlan 100)"),
                    next);
        }
    }

    private static NetNs netNs() throws Exception {
        NetNs ns = NetNs.createOrNull();
        assumeTrue(ns != null, "needs ip netns (root)");
        return ns;
    }

    /** What a live run left: the agent's log and what hep-sink got. */
    record LiveRun(String log, List<JsonNode> got) {}

    private static String everySipMessageReachesTheSink(Path dir, List<String> agentCommand) throws Exception {
        return sipCallsReachTheSink(dir, agentCommand).log();
    }

    /**
     * Runs AGENT (which must capture on lo or any and send to udp:127.0.0.1:9060) and sipp calls
     * in a namespace of their own; hep-sink must get every SIP message tcpdump saw.
     */
    static LiveRun sipCallsReachTheSink(Path dir, List<String> agentCommand) throws Exception {
        assumeTrue(
                Env.onPath("sipp") && Env.onPath("tcpdump") && Env.onPath("tshark"),
                "sipp, tcpdump and tshark are installed by bin/test-all");
        Path pcap = dir.resolve("lo.pcap");
        String log;
        List<JsonNode> got;
        try (NetNs ns = netNs();
                HepSink sink = HepSink.startUdp(ns, SHIPPED_HEP_PORT);
                Proc tcpdump = Proc.start(ns.command(List.of(
                        "tcpdump",
                        "-i",
                        "lo",
                        "--immediate-mode",
                        "-U",
                        "-n",
                        "-s",
                        "0",
                        "-w",
                        pcap.toString(),
                        "udp and (port " + UAS_PORT + " or port " + UAC_PORT + ")")));
                Proc agent = Proc.start(ns.command(agentCommand))) {
            LiveSippIT.waitFor(tcpdump, "listening on", Duration.ofSeconds(20));
            LiveSippIT.waitFor(agent, "socket sip: interface", Duration.ofSeconds(60));
            try (Proc uas = Proc.start(ns.command(
                    List.of("sipp", "-sn", "uas", "-i", "127.0.0.1", "-p", Integer.toString(UAS_PORT), "-nostdin")))) {
                HepSink.waitListening(UAS_PORT, uas, "-Hlun", ns::command);
                Proc uac = Proc.run(
                        Duration.ofSeconds(90),
                        ns.command(List.of(
                                "sipp",
                                "-sn",
                                "uac",
                                "127.0.0.1:" + UAS_PORT,
                                "-i",
                                "127.0.0.1",
                                "-p",
                                Integer.toString(UAC_PORT),
                                "-m",
                                Integer.toString(CALLS),
                                "-r",
                                "10",
                                "-d",
                                "100",
                                "-nostdin",
                                "-timeout",
                                "60s")));
                assertEquals(0, uac.exitCode(), "sipp uac: " + uac.stdout() + uac.stderr());
            }
            // sipp's built-in uac/uas exchange INVITE, 180, 200, ACK, BYE, 200 per call
            waitForSipLegs(sink, agent, CALLS * 6, Duration.ofSeconds(30));
            agent.terminate(Duration.ofSeconds(20));
            tcpdump.terminate(Duration.ofSeconds(10));
            got = sink.stopAndRead();
            log = agent.stderr();
            assertEquals(0, LiveSippIT.exitOrZeroOnSignal(agent), log);
        }
        Map<String, Integer> seen = LiveSippIT.sipPayloadDigests(pcap);
        assertEquals(
                CALLS * 6,
                seen.values().stream().mapToInt(Integer::intValue).sum(),
                "tcpdump saw 6 SIP messages per call");
        assertEquals(seen, sipLegDigests(got), "hep-sink got what tcpdump saw; agent log:\n" + log);
        return new LiveRun(log, got);
    }

    /** Waits until hep-sink holds {@code count} messages between the sipp legs (or the agent died, or time is up). */
    private static void waitForSipLegs(HepSink sink, Proc agent, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int n = 0;
        while (System.nanoTime() < deadline) {
            n = sipLegDigests(sink.read()).values().stream()
                    .mapToInt(Integer::intValue)
                    .sum();
            if (n >= count) return;
            if (!agent.process.isAlive()) throw new AssertionError("the agent exited: " + agent.stderr());
            Thread.sleep(100);
        }
        throw new AssertionError("hep-sink got " + n + " of " + count + " SIP messages; agent log:\n" + agent.stderr());
    }

    private static Map<String, Integer> sipLegDigests(List<JsonNode> records) {
        Map<String, Integer> out = new TreeMap<>();
        List<Integer> legs = new ArrayList<>(List.of(UAS_PORT, UAC_PORT));
        for (JsonNode m : records) {
            if (m.has("srcPort")
                    && legs.contains(m.get("srcPort").asInt())
                    && legs.contains(m.get("dstPort").asInt())) {
                out.merge(m.get("payloadSha256").asText(), 1, Integer::sum);
            }
        }
        return out;
    }
}
