package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture on the loopback interface: sipp places a fixed number of calls while heptap and
 * tcpdump both capture; hep-sink must receive every SIP message tcpdump saw, byte for byte.
 */
class LiveSippIT {
    private static final int CALLS = 30;

    @Test
    void every_sip_message_tcpdump_saw_reaches_hep_sink(@TempDir Path dir) throws Exception {
        assumeTrue(
                Env.onPath("sipp") && Env.onPath("tcpdump") && Env.onPath("tshark"),
                "sipp, tcpdump and tshark are installed by bin/test-all");
        Path pcap = dir.resolve("lo.pcap");
        List<JsonNode> got;
        String agentLog;
        try (HepSink sink = HepSink.startUdp();
                Proc tcpdump = Proc.start(tcpdumpLo(pcap, "udp and (port 5080 or port 5081)"));
                Proc agent = Proc.start(List.of(
                        Env.heptap().toString(),
                        "-i",
                        "lo",
                        "-p",
                        "5060-5090",
                        "-H",
                        "udp:127.0.0.1:" + sink.udpPort,
                        "--capture-id",
                        "2001"))) {
            waitFor(tcpdump, "listening on", Duration.ofSeconds(20));
            // logged once the capture handle is open: from then on the kernel keeps what lo carries
            waitFor(agent, "socket sip: interface lo", Duration.ofSeconds(60));
            try (Proc uas = Proc.start(List.of("sipp", "-sn", "uas", "-i", "127.0.0.1", "-p", "5080", "-nostdin"))) {
                HepSink.waitListening(5080, uas, "-Hlun");
                Proc uac = Proc.run(Duration.ofSeconds(90), sippUac(5080, 5081, CALLS, 15, 60));
                assertEquals(0, uac.exitCode(), "sipp uac: " + uac.stdout() + uac.stderr());
            }
            // the agent has sent every call leg when hep-sink holds them all (or, bounded, it never will)
            Await.until(
                    () -> sink.read().stream()
                                            .filter(m ->
                                                    isSippLeg(m.get("srcPort").asInt())
                                                            && isSippLeg(m.get("dstPort")
                                                                    .asInt()))
                                            .count()
                                    >= CALLS * 6
                            || !agent.process.isAlive(),
                    Duration.ofSeconds(30),
                    CALLS * 6 + " SIP messages at hep-sink");
            // and tcpdump has written them: what it has not read from the kernel yet is lost on SIGTERM
            Await.until(
                    () -> sipMessagesIn(
                                    pcap,
                                    p -> sipPayloadDigests(p).values().stream()
                                            .mapToInt(Integer::intValue)
                                            .sum())
                            >= CALLS * 6,
                    Duration.ofSeconds(30),
                    CALLS * 6 + " SIP messages in tcpdump's " + pcap);
            agent.terminate(Duration.ofSeconds(20));
            tcpdump.terminate(Duration.ofSeconds(10));
            got = sink.stopAndRead();
            agentLog = agent.stderr();
            assertEquals(0, exitOrZeroOnSignal(agent), agentLog);
        }

        Map<String, Integer> seen = sipPayloadDigests(pcap);
        int total = seen.values().stream().mapToInt(Integer::intValue).sum();
        // sipp's built-in uac/uas exchange INVITE, 180, 200, ACK, BYE, 200 per call
        assertEquals(CALLS * 6, total, "tcpdump saw 6 SIP messages per call");
        Map<String, Integer> received = new TreeMap<>();
        for (JsonNode m : got) {
            // the machine may carry other SIP on lo: compare this test's call legs
            if (isSippLeg(m.get("srcPort").asInt())
                    && isSippLeg(m.get("dstPort").asInt())) {
                received.merge(m.get("payloadSha256").asText(), 1, Integer::sum);
            }
        }
        if (!seen.equals(received)) {
            long missing =
                    seen.keySet().stream().filter(k -> !received.containsKey(k)).count();
            long extra =
                    received.keySet().stream().filter(k -> !seen.containsKey(k)).count();
            throw new AssertionError(
                    "hep-sink got " + received.size() + " of the " + seen.size() + " SIP messages tcpdump saw ("
                            + missing + " missing, " + extra + " not seen by tcpdump); agent log:\n" + agentLog);
        }
    }

    /** tcpdump writing what lo carries that {@code filter} keeps to {@code pcap}, each packet at once (-U). */
    static List<String> tcpdumpLo(Path pcap, String filter) {
        return List.of("tcpdump", "-i", "lo", "-U", "-n", "-s", "0", "-w", pcap.toString(), filter);
    }

    /**
     * sipp's built-in UDP uac on 127.0.0.1:{@code port}: {@code calls} calls to 127.0.0.1:{@code
     * uas}, {@code rate} a second, each 200 ms long (INVITE, 180, 200, ACK, BYE, 200).
     */
    static List<String> sippUac(int uas, int port, int calls, int rate, int timeoutSeconds) {
        return List.of(
                "sipp",
                "-sn",
                "uac",
                "127.0.0.1:" + uas,
                "-i",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-m",
                Integer.toString(calls),
                "-r",
                Integer.toString(rate),
                "-d",
                "200",
                "-nostdin",
                "-timeout",
                timeoutSeconds + "s");
    }

    private static boolean isSippLeg(int port) {
        return port == 5080 || port == 5081;
    }

    /** A count tshark makes of a capture tcpdump is still writing: 0 while tshark cannot read it yet. */
    static int sipMessagesIn(Path pcap, Counter counter) throws Exception {
        try {
            return counter.count(pcap);
        } catch (AssertionError partlyWritten) {
            return 0;
        }
    }

    @FunctionalInterface
    interface Counter {
        int count(Path pcap) throws Exception;
    }

    static int exitOrZeroOnSignal(Proc p) {
        int rc = p.exitCode();
        return rc == 143 ? 0 : rc;
    }

    static void waitFor(Proc p, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (p.stderr().contains(text) || p.stdout().contains(text)) return;
            if (!p.process.isAlive()) throw new AssertionError(p.command + " exited: " + p.stderr());
            Thread.sleep(100);
        }
        throw new AssertionError(p.command + " did not say '" + text + "': " + p.stderr());
    }

    /** SHA-256 of each SIP UDP payload tcpdump captured (tshark decodes, we hash). */
    static Map<String, Integer> sipPayloadDigests(Path pcap) throws Exception {
        Proc t = Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        "tshark",
                        "-r",
                        pcap.toString(),
                        "-Y",
                        "sip.Method || sip.Status-Code",
                        "-T",
                        "fields",
                        "-e",
                        "udp.payload"));
        assertEquals(0, t.exitCode(), t.stderr());
        Map<String, Integer> out = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String line : t.stdout().split("\n")) {
            String hex = line.trim().replace(":", "");
            if (hex.isEmpty()) continue;
            byte[] payload = HexFormat.of().parseHex(hex);
            out.merge(HexFormat.of().formatHex(sha.digest(payload)), 1, Integer::sum);
        }
        return out;
    }
}
