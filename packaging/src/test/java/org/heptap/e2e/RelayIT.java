package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HEP relay mode (issue 4, acceptance 6): a collector socket with {@code format: hep}
 * ({@code --hin}) takes HEP from others and sends it on. hep.pcap's own HEP packets (sent as the
 * datagrams they were) and heptap's output (a second heptap replaying a capture) must reach
 * hep-sink through the relay exactly as they reach it directly: same count, payload, Call-ID,
 * protocol type, addresses, ports and time. A relay plan that drops OPTIONS drops them.
 */
@Offline
class RelayIT {
    private static final String CAPTURE = "sip-udp-v4.pcap";
    private static final Pattern CALL_ID = Pattern.compile("\r\n(?:Call-ID|i): *([^\r\n]+)");

    /** What must survive the relay: everything the sender put in, except what the relay's profile stamps (capture id). */
    static String relayed(JsonNode m) {
        return String.join(
                "|",
                m.get("version").asText(),
                m.get("protocol").asText(),
                m.get("srcIp").asText(),
                m.get("dstIp").asText(),
                m.get("srcPort").asText(),
                m.get("dstPort").asText(),
                m.get("timeSeconds").asText(),
                m.get("timeUseconds").asText(),
                m.get("payloadType").asText(),
                m.path("correlation_id").asText(""),
                m.get("payload").asText());
    }

    static Map<String, Integer> multiset(List<JsonNode> got) {
        Map<String, Integer> c = new TreeMap<>();
        for (JsonNode m : got) c.merge(relayed(m), 1, Integer::sum);
        return c;
    }

    /** The UDP payloads of hep.pcap (its HEP3 packets as they were on the wire), read with tshark. */
    static List<byte[]> hepPcapDatagrams() throws Exception {
        Proc t = Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        "tshark",
                        "-r",
                        Env.corpus("hep.pcap").toString(),
                        "-Y",
                        "udp.port == 9060",
                        "-T",
                        "fields",
                        "-e",
                        "udp.payload"));
        assertEquals(0, t.exitCode(), t.stderr());
        List<byte[]> out = new ArrayList<>();
        for (String l : t.stdout().split("\n")) {
            if (!l.isBlank()) out.add(HexFormat.of().parseHex(l.trim().replace(":", "")));
        }
        assertEquals(
                Env.manifestEntry("hep.pcap").get("hep").get("packets").asInt(), out.size(), "HEP packets in hep.pcap");
        return out;
    }

    private static void send(List<byte[]> datagrams, int port) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            for (byte[] d : datagrams) {
                s.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), port));
                Thread.sleep(5); // loopback socket buffers are small; the relay is not the subject of a flood test
            }
        }
    }

    @Test
    void hep_pcap_and_heptap_output_pass_the_relay_unchanged() throws Exception {
        List<byte[]> hep = hepPcapDatagrams();
        int relayUdp = Env.freeUdpPort();
        int relayTcp = Env.freeTcpPort();
        List<JsonNode> direct;
        List<JsonNode> viaRelay;
        String relayLog;
        try (HepSink directSink = HepSink.startUdp();
                HepSink relaySink = HepSink.startUdp();
                Proc relay = Proc.start(List.of(
                        Env.heptap().toString(),
                        "--hin",
                        "udp:127.0.0.1:" + relayUdp,
                        "--hin",
                        "tcp:127.0.0.1:" + relayTcp,
                        "-H",
                        "udp:127.0.0.1:" + relaySink.udpPort))) {
            waitFor(relay, "socket hin: collector listening", Duration.ofSeconds(60));
            // the same datagrams to the sink directly and to the relay
            send(hep, directSink.udpPort);
            send(hep, relayUdp);
            // heptap's own output, fanned out to the sink directly and to the relay (UDP) ...
            Proc sender = QuickReplay.sip(
                    CAPTURE, "-H", "udp:127.0.0.1:" + directSink.udpPort + ",udp:127.0.0.1:" + relayUdp);
            // ... and once more, compressed over TCP to the relay only
            Proc overTcp = QuickReplay.sip(CAPTURE, "--compress", "-H", "tcp:127.0.0.1:" + relayTcp);
            direct = directSink.stopAndRead();
            // the relay has forwarded everything once its sink holds hep.pcap and both replays
            relaySink.awaitRecords(
                    hep.size()
                            + 2 * Env.manifestEntry(CAPTURE).get("sip_messages").asInt(),
                    Duration.ofSeconds(30));
            relay.terminate(Duration.ofSeconds(20));
            relayLog = relay.stderr();
            viaRelay = relaySink.stopAndRead();
        }
        int sip = Env.manifestEntry(CAPTURE).get("sip_messages").asInt();
        assertEquals(hep.size() + sip, direct.size(), "direct sink: hep.pcap + one replay");
        assertEquals(
                hep.size() + 2 * sip,
                viaRelay.size(),
                "relayed: hep.pcap + the UDP replay + the TCP replay\n" + relayLog);
        // the relay's output is the direct sink's plus the TCP replay's messages once more
        Map<String, Integer> expected = multiset(direct);
        for (JsonNode m : direct) {
            if (m.get("srcPort").asInt() == 5061 || m.get("srcPort").asInt() == 5062)
                expected.merge(relayed(m), 1, Integer::sum);
        }
        assertEquals(expected, multiset(viaRelay), "relayed HEP equals what the senders sent\n" + relayLog);
        // hep.pcap's protocol types (SIP, RTCP JSON, 100) all went through
        Map<Integer, Integer> types = new TreeMap<>();
        viaRelay.forEach(m -> types.merge(m.get("payloadType").asInt(), 1, Integer::sum));
        JsonNode manifestTypes = Env.manifestEntry("hep.pcap").get("hep").get("proto_types");
        manifestTypes
                .fieldNames()
                .forEachRemaining(
                        t -> assertTrue(types.containsKey(Integer.parseInt(t)), "type " + t + " relayed: " + types));
        // Call-IDs of the replay, in payload and correlation id
        TreeSet<String> expectedIds = new TreeSet<>();
        Env.manifestEntry(CAPTURE).get("call_id_list").forEach(n -> expectedIds.add(n.asText()));
        TreeSet<String> ids = new TreeSet<>();
        for (JsonNode m : viaRelay) {
            if (m.get("srcPort").asInt() != 5061 && m.get("srcPort").asInt() != 5062) continue;
            Matcher cid = CALL_ID.matcher(m.get("payload").asText());
            assertTrue(cid.find(), m.toString());
            assertEquals(cid.group(1).trim(), m.get("correlation_id").asText(), "correlation id kept");
            ids.add(cid.group(1).trim());
        }
        assertEquals(expectedIds, ids);
        assertTrue(
                relayLog.contains("collector-undecodable 0"), "every datagram and stream record was HEP\n" + relayLog);
    }

    @Test
    void a_relay_plan_that_drops_options_drops_them(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/relay.cfg"), """
                capture[collector] {
                    if (parse_sip() && sip_check("method", "OPTIONS")) {
                        drop;
                    }
                    send_hep("out");
                    drop;
                }
                """);
        int relayUdp = Env.freeUdpPort();
        String capture = "sip-methods.pcap";
        List<JsonNode> direct;
        List<JsonNode> viaRelay;
        try (HepSink directSink = HepSink.startUdp();
                HepSink relaySink = HepSink.startUdp()) {
            Path yaml = dir.resolve("heptap.yaml");
            Files.writeString(yaml, """
                    agent:
                      capture-plans: plans
                    sockets:
                      relay:
                        type: collector
                        format: hep
                        listen: [ "udp:127.0.0.1:%d" ]
                        capture-plan: relay.cfg
                    transports:
                      out:
                        type: hep
                        host: 127.0.0.1
                        port: %d
                    """.formatted(relayUdp, relaySink.udpPort));
            try (Proc relay = Proc.start(List.of(Env.heptap().toString(), "--config", yaml.toString()))) {
                waitFor(relay, "socket relay: collector listening", Duration.ofSeconds(60));
                Proc sender = QuickReplay.sip(
                        capture,
                        "-p",
                        "1-65535",
                        "-H",
                        "udp:127.0.0.1:" + directSink.udpPort + ",udp:127.0.0.1:" + relayUdp);
                direct = directSink.stopAndRead();
                // the relay has forwarded everything once its sink holds all but the OPTIONS
                long options = direct.stream()
                        .filter(m -> m.get("payload").asText().startsWith("OPTIONS "))
                        .count();
                relaySink.awaitRecords((int) (direct.size() - options), Duration.ofSeconds(30));
                relay.terminate(Duration.ofSeconds(20));
                viaRelay = relaySink.stopAndRead();
            }
        }
        assertEquals(
                Env.manifestEntry(capture).get("sip_messages").asInt(), direct.size(), "the sender sent every message");
        List<JsonNode> options = direct.stream()
                .filter(m -> m.get("payload").asText().startsWith("OPTIONS "))
                .toList();
        assertEquals(
                Env.manifestEntry(capture)
                        .get("requests_by_method")
                        .get("OPTIONS")
                        .asInt(),
                options.size());
        Map<String, Integer> expected = multiset(direct.stream()
                .filter(m -> !m.get("payload").asText().startsWith("OPTIONS "))
                .toList());
        assertEquals(expected, multiset(viaRelay), "everything but the OPTIONS requests relayed unchanged");
        assertFalse(viaRelay.stream().anyMatch(m -> m.get("payload").asText().startsWith("OPTIONS ")));
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
}
