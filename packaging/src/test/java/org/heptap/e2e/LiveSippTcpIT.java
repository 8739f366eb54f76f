package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 7 of issue 5, live on the loopback interface: sipp places a fixed number of calls over
 * one TCP connection while heptap and tcpdump both capture. hep-sink must receive every SIP message
 * tshark finds in tcpdump's capture after TCP reassembly (same flow, Call-ID, CSeq and start line,
 * as many times), and the messages of each direction must carry strictly increasing timestamps in
 * the order they arrive.
 */
class LiveSippTcpIT {
    private static final int CALLS = 20;
    // ports of this test alone: other live tests and traffic generators use 5060 and 5080-5085
    private static final int UAS_PORT = 5072;
    private static final int UAC_PORT = 5073;

    @Test
    void every_sip_message_over_tcp_tcpdump_saw_reaches_hep_sink(@TempDir Path dir) throws Exception {
        assumeTrue(
                Env.onPath("sipp") && Env.onPath("tcpdump") && Env.onPath("tshark"),
                "sipp, tcpdump and tshark are installed by bin/test-all");
        Path pcap = dir.resolve("lo-tcp.pcap");
        List<JsonNode> got;
        String agentLog;
        try (HepSink sink = HepSink.startUdp();
                Proc tcpdump = Proc.start(
                        LiveSippIT.tcpdumpLo(pcap, "tcp and (port " + UAS_PORT + " or port " + UAC_PORT + ")"));
                Proc agent = Proc.start(List.of(
                        Env.heptap().toString(),
                        "-i",
                        "lo",
                        "-p",
                        UAS_PORT + "-" + UAC_PORT,
                        "-H",
                        "udp:127.0.0.1:" + sink.udpPort,
                        "--capture-id",
                        "2002"))) {
            LiveSippIT.waitFor(tcpdump, "listening on", Duration.ofSeconds(20));
            // logged once the capture handle is open: from then on the kernel keeps what lo carries
            LiveSippIT.waitFor(agent, "socket sip: interface lo", Duration.ofSeconds(60));
            try (Proc uas = Proc.start(List.of(
                    "sipp",
                    "-sn",
                    "uas",
                    "-i",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(UAS_PORT),
                    "-t",
                    "t1",
                    "-nostdin"))) {
                HepSink.waitListening(UAS_PORT, uas, "-Hltn");
                Proc uac = Proc.run(
                        Duration.ofSeconds(90),
                        List.of(
                                "sipp",
                                "-sn",
                                "uac",
                                "127.0.0.1:" + UAS_PORT,
                                "-i",
                                "127.0.0.1",
                                "-p",
                                Integer.toString(UAC_PORT),
                                "-t",
                                "t1",
                                "-m",
                                Integer.toString(CALLS),
                                "-r",
                                "10",
                                "-d",
                                "200",
                                "-nostdin",
                                "-timeout",
                                "60s"));
                assertEquals(0, uac.exitCode(), "sipp uac: " + uac.stdout() + uac.stderr());
            }
            // block mode: libpcap hands packets over within its 100 ms read timeout; the agent has
            // sent every call leg when hep-sink holds them all (or, bounded, it never will)
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
                    () -> LiveSippIT.sipMessagesIn(
                                    pcap,
                                    p -> tsharkSipMessages(p).values().stream()
                                            .mapToInt(Integer::intValue)
                                            .sum())
                            >= CALLS * 6,
                    Duration.ofSeconds(30),
                    CALLS * 6 + " SIP messages in tcpdump's " + pcap);
            agent.terminate(Duration.ofSeconds(20));
            tcpdump.terminate(Duration.ofSeconds(10));
            got = sink.stopAndRead();
            agentLog = agent.stderr();
            assertEquals(0, LiveSippIT.exitOrZeroOnSignal(agent), agentLog);
        }

        Map<String, Integer> seen = tsharkSipMessages(pcap);
        int total = seen.values().stream().mapToInt(Integer::intValue).sum();
        // sipp's built-in uac/uas exchange INVITE, 180, 200, ACK, BYE, 200 per call
        assertEquals(CALLS * 6, total, "tcpdump saw 6 SIP messages per call: " + seen);

        Map<String, Integer> received = new TreeMap<>();
        List<JsonNode> ours = new ArrayList<>();
        for (JsonNode m : got) {
            int sp = m.get("srcPort").asInt();
            int dp = m.get("dstPort").asInt();
            if (!isSippLeg(sp) || !isSippLeg(dp)) continue; // other SIP may be on lo
            ours.add(m);
            received.merge(identity(sp, dp, m.get("payload").asText()), 1, Integer::sum);
        }
        if (!seen.equals(received)) {
            List<String> missing = new ArrayList<>();
            List<String> extra = new ArrayList<>();
            for (var e : seen.entrySet())
                if (!e.getValue().equals(received.get(e.getKey())))
                    missing.add(e.getKey() + " x" + e.getValue() + " got " + received.get(e.getKey()));
            for (var e : received.entrySet()) if (!seen.containsKey(e.getKey())) extra.add(e.getKey());
            throw new AssertionError(
                    "hep-sink got " + ours.size() + " of the " + total + " SIP messages tcpdump saw; differing: "
                            + missing + "; not seen by tcpdump: " + extra + "\nagent log:\n" + agentLog);
        }

        // per flow, in arrival order, timestamps strictly increase (collectors order by them)
        Map<String, Long> last = new HashMap<>();
        int disorder = 0;
        for (JsonNode m : ours) {
            String flow = m.get("srcIp").asText() + ":" + m.get("srcPort").asInt() + ">"
                    + m.get("dstIp").asText() + ":" + m.get("dstPort").asInt();
            long ts = m.get("timeSeconds").asLong() * 1_000_000
                    + m.get("timeUseconds").asLong();
            Long before = last.put(flow, ts);
            if (before != null && ts <= before) disorder++;
        }
        assertEquals(0, disorder, "messages not after their predecessor in the flow");
        assertTrue(last.size() == 2, "both directions of the one TCP connection: " + last.keySet());
    }

    private static boolean isSippLeg(int port) {
        return port == UAS_PORT || port == UAC_PORT;
    }

    /** Flow ports, Call-ID, CSeq and start line of one SIP message: what the test compares. */
    private static String identity(int srcPort, int dstPort, String callId, String cseq, String startLine) {
        return srcPort + ">" + dstPort + " | " + startLine.trim() + " | " + callId.trim() + " | "
                + cseq.trim().replaceAll("\\s+", " ");
    }

    /** The identity of a message delivered to hep-sink, read from its payload text. */
    private static String identity(int srcPort, int dstPort, String payload) {
        int eol = payload.indexOf("\r\n");
        String startLine = eol < 0 ? payload : payload.substring(0, eol);
        String callId = header(payload, "call-id", "i");
        String cseq = header(payload, "cseq", null);
        return identity(srcPort, dstPort, callId, cseq, startLine);
    }

    private static String header(String payload, String name, String compact) {
        int end = payload.indexOf("\r\n\r\n");
        String head = end < 0 ? payload : payload.substring(0, end);
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            String n = line.substring(0, colon).trim();
            if (n.equalsIgnoreCase(name) || (compact != null && n.equalsIgnoreCase(compact)))
                return line.substring(colon + 1);
        }
        return "";
    }

    /**
     * Every SIP message in the capture as tshark sees it with TCP reassembly on (one frame may
     * carry several messages; tshark then lists one "sip" layer per message).
     */
    private static Map<String, Integer> tsharkSipMessages(Path pcap) throws Exception {
        Proc t = Proc.run(
                Duration.ofSeconds(120),
                List.of(
                        "tshark",
                        "-r",
                        pcap.toString(),
                        "-o",
                        "tcp.desegment_tcp_streams:TRUE",
                        "-Y",
                        "sip",
                        "-T",
                        "json",
                        "--no-duplicate-keys"));
        assertEquals(0, t.exitCode(), t.stderr());
        Map<String, Integer> out = new TreeMap<>();
        for (JsonNode packet : Env.JSON.readTree(t.out.toFile())) {
            JsonNode layers = packet.path("_source").path("layers");
            int sp = layers.path("tcp").path("tcp.srcport").asInt();
            int dp = layers.path("tcp").path("tcp.dstport").asInt();
            JsonNode sip = layers.path("sip");
            List<JsonNode> messages = new ArrayList<>();
            if (sip.isArray()) sip.forEach(messages::add);
            else messages.add(sip);
            for (JsonNode s : messages) {
                JsonNode hdr = s.path("sip.msg_hdr_tree");
                String startLine = s.has("sip.Request-Line")
                        ? s.get("sip.Request-Line").asText()
                        : s.path("sip.Status-Line").asText();
                out.merge(
                        identity(
                                sp,
                                dp,
                                hdr.path("sip.Call-ID").asText(),
                                hdr.path("sip.CSeq").asText(),
                                startLine),
                        1,
                        Integer::sum);
            }
        }
        return out;
    }
}
