package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The RTCP-XR collector live (issue 6, acceptance 3): heptap started with
 * {@code --rtcpxr udp:…,tcp:…} and no YAML; sipp plays a phone that PUBLISHes an RFC 6035
 * report over UDP and then over TCP, and its scenario only passes when the collector answers
 * 200 OK. hep-sink must hold each PUBLISH (HEP type 1) and its report as JSON (type 99), both
 * correlated by the report's CallID, with the metrics equal to the report's text.
 */
class RtcpXrCollectorIT {
    static final String REPORT_CALL_ID = "xr-live-7731@heptap.test";

    @Test
    void sipp_publish_over_udp_and_tcp_is_answered_and_reaches_hep_sink() throws Exception {
        assumeTrue(Env.onPath("sipp"), "sipp is installed by bin/test-all");
        Path scenario =
                Path.of(System.getProperty("user.dir"), "src", "test", "resources", "sipp", "rtcpxr_publish_uac.xml");
        int udp = Env.freeUdpPort();
        int tcp = Env.freeTcpPort();
        int phoneUdp = Env.freeUdpPort();
        int phoneTcp = Env.freeTcpPort();
        List<JsonNode> got;
        String agentLog;
        try (HepSink sink = HepSink.startUdp();
                Proc agent = Proc.start(List.of(
                        Env.heptap().toString(),
                        "--rtcpxr",
                        "udp:127.0.0.1:" + udp + ",tcp:127.0.0.1:" + tcp,
                        "-H",
                        "udp:127.0.0.1:" + sink.udpPort))) {
            waitFor(agent, "socket rtcpxr: collector listening", Duration.ofSeconds(60));
            Proc overUdp = Proc.run(
                    Duration.ofSeconds(60),
                    List.of(
                            "sipp",
                            "127.0.0.1:" + udp,
                            "-sf",
                            scenario.toString(),
                            "-i",
                            "127.0.0.1",
                            "-p",
                            Integer.toString(phoneUdp),
                            "-m",
                            "1",
                            "-nostdin",
                            "-timeout",
                            "20s"));
            assertEquals(
                    0,
                    overUdp.exitCode(),
                    "sipp over UDP got no 200 OK: " + overUdp.stdout() + overUdp.stderr() + agent.stderr());
            Proc overTcp = Proc.run(
                    Duration.ofSeconds(60),
                    List.of(
                            "sipp",
                            "127.0.0.1:" + tcp,
                            "-sf",
                            scenario.toString(),
                            "-t",
                            "t1",
                            "-i",
                            "127.0.0.1",
                            "-p",
                            Integer.toString(phoneTcp),
                            "-m",
                            "1",
                            "-nostdin",
                            "-timeout",
                            "20s"));
            assertEquals(
                    0,
                    overTcp.exitCode(),
                    "sipp over TCP got no 200 OK: " + overTcp.stdout() + overTcp.stderr() + agent.stderr());
            // each phone's PUBLISH goes out twice (SIP, and its report as JSON)
            Await.until(
                    () -> sink.read().stream()
                                    .filter(m -> m.get("srcPort").asInt() == phoneUdp
                                            || m.get("srcPort").asInt() == phoneTcp)
                                    .count()
                            >= 4,
                    Duration.ofSeconds(30),
                    "4 messages from the phones at hep-sink");
            agent.terminate(Duration.ofSeconds(20));
            got = sink.stopAndRead();
            agentLog = agent.stderr();
        }
        Map<String, String> local = reportLines(scenario, "LocalMetrics:", "RemoteMetrics:");
        Map<String, String> remote = reportLines(scenario, "RemoteMetrics:", "DialogID:");
        for (int[] leg : new int[][] {{phoneUdp, udp, 17}, {phoneTcp, tcp, 6}}) {
            String which = leg[2] == 17 ? "UDP" : "TCP";
            List<JsonNode> fromPhone = got.stream()
                    .filter(m -> m.get("srcPort").asInt() == leg[0]
                            && m.get("dstPort").asInt() == leg[1])
                    .toList();
            List<JsonNode> sip = fromPhone.stream()
                    .filter(m -> m.get("payloadType").asInt() == 1)
                    .toList();
            List<JsonNode> reports = fromPhone.stream()
                    .filter(m -> m.get("payloadType").asInt() == 99)
                    .toList();
            assertEquals(1, sip.size(), which + ": one PUBLISH as SIP; got " + got + "\n" + agentLog);
            assertEquals(1, reports.size(), which + ": one report as JSON; got " + got);
            assertTrue(sip.get(0).get("payload").asText().startsWith("PUBLISH sip:collector@127.0.0.1"), which);
            assertEquals(
                    REPORT_CALL_ID,
                    sip.get(0).get("correlation_id").asText(),
                    which + ": PUBLISH correlated by the report's CallID");
            assertEquals(
                    REPORT_CALL_ID,
                    reports.get(0).get("correlation_id").asText(),
                    which + ": report correlated by its CallID");
            JsonNode doc = Env.JSON.readTree(reports.get(0).get("payload").asText());
            assertEquals("CallTerm", doc.get("report_subtype").asText());
            assertMetrics(which + " LocalMetrics", local, doc.get("LocalMetrics"));
            assertMetrics(which + " RemoteMetrics", remote, doc.get("RemoteMetrics"));
        }
        // exactly one final response per PUBLISH, the socket's own 200 OK
        Map<String, Long> counters = counters(agentLog, "Agent: socket rtcpxr: ");
        assertEquals(2L, counters.get("collector-auto-replies"), agentLog);
        assertEquals(2L, counters.get("collector-replies"), agentLog);
        assertEquals(0L, counters.get("collector-replies-refused"), agentLog);
        assertEquals(0L, counters.get("collector-reply-failures"), agentLog);
        assertFalse(agentLog.contains("DOES NOT BALANCE"), agentLog);
    }

    /** MOS, loss, jitter and delay of one metrics block: every value as the report text has it. */
    private static void assertMetrics(String what, Map<String, String> text, JsonNode json) {
        int checked = 0;
        for (String line : List.of("QualityEst", "PacketLoss", "JitterBuffer", "Delay")) {
            for (String key : switch (line) {
                case "QualityEst" -> List.of("MOSLQ", "MOSCQ", "RLQ", "RCQ");
                case "PacketLoss" -> List.of("NLR", "JDR");
                case "JitterBuffer" -> List.of("JBN", "JBM", "JBX");
                default -> List.of("RTD", "ESD", "SOWD", "IAJ", "MAJ");
            }) {
                String expected = text.get(line + "." + key);
                JsonNode v = json.path(line).path(key);
                assertFalse(v.isMissingNode(), what + " " + line + "." + key + " missing in " + json);
                if (v.isNumber()) {
                    assertEquals(
                            0,
                            new BigDecimal(expected).compareTo(v.decimalValue()),
                            what + " " + line + "." + key + ": " + v);
                } else {
                    assertEquals(expected, v.asText(), what + " " + line + "." + key);
                }
                checked++;
            }
        }
        assertEquals(14, checked);
    }

    /** {@code Line.KEY → value} of the report lines between two markers of the scenario's body. */
    private static Map<String, String> reportLines(Path scenario, String from, String to) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        boolean in = false;
        Pattern pair = Pattern.compile("([A-Za-z]+)=([^ ]+)");
        for (String raw : Files.readAllLines(scenario, StandardCharsets.ISO_8859_1)) {
            String line = raw.trim();
            if (line.equals(from)) {
                in = true;
                continue;
            }
            if (line.startsWith(to)) break;
            if (!in || !line.contains(":")) continue;
            String name = line.substring(0, line.indexOf(':'));
            Matcher m = pair.matcher(line);
            while (m.find()) out.put(name + "." + m.group(1), m.group(2));
        }
        assertFalse(out.isEmpty(), "no " + from + " block in " + scenario);
        return out;
    }

    /** The counters of the agent's final line starting with {@code prefix}, as name → value. */
    private static Map<String, Long> counters(String log, String prefix) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : log.split("\n")) {
            int i = line.indexOf(prefix);
            if (i < 0 || !line.contains("collector-replies")) continue;
            String list = line.substring(i + prefix.length());
            if (list.contains("; decoder:")) list = list.substring(0, list.indexOf("; decoder:"));
            for (String part : list.split(", ")) {
                int sp = part.lastIndexOf(' ');
                if (sp > 0)
                    out.put(
                            part.substring(0, sp).trim(),
                            Long.parseLong(part.substring(sp + 1).trim()));
            }
        }
        return out;
    }

    private static void waitFor(Proc p, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (p.stderr().contains(text) || p.stdout().contains(text)) return;
            if (!p.process.isAlive()) throw new AssertionError(p.command + " exited: " + p.stderr());
            Thread.sleep(100);
        }
        throw new AssertionError(p.command + " did not say '" + text + "': " + p.stderr());
    }
}
