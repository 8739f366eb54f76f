package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.heptap.core.testing.StreamReceiver;
import org.heptap.core.testing.UdpReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * send_json end to end: bin/heptap replays a corpus capture with a plan that parses SIP and calls
 * send_json, and collectors opened here (a UDP socket, a TCP listener reading lines) get one JSON
 * document per SIP message, checked field by field against the MANIFEST and expected/*.jsonl
 * (count, Call-IDs, methods/status codes, addresses, ports, timestamps, sha256 of the payload).
 */
@Offline
class JsonTransportIT {
    private static final String PLAN = """
            capture[pcap] {
                if (parse_sip()) {
                    send_json("jsonudp");
                    send_json("jsontcp");
                }
                drop;
            }
            """;

    /** {@code bin/heptap --config YAML -r CAPTURE}, run to its end. */
    private static Proc replay(Path yaml, String capture) throws IOException, InterruptedException {
        return Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        Env.heptap().toString(),
                        "--config",
                        yaml.toString(),
                        "-r",
                        Env.corpus(capture).toString()));
    }

    /** Waits (bounded) for one document per SIP message of {@code capture} at both collectors; returns that count. */
    private static int awaitDocuments(String capture, UdpReceiver udp, StreamReceiver tcp) throws InterruptedException {
        int n = Env.manifestEntry(capture).get("sip_messages").asInt();
        udp.await(n, 10_000);
        tcp.awaitRecords(n, 10_000);
        return n;
    }

    private static Path config(Path dir, String transports) throws IOException {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/json.cfg"), PLAN);
        Path yaml = dir.resolve("heptap.yaml");
        Files.writeString(yaml, """
                agent:
                  capture-plans: plans
                sockets:
                  sip:
                    port-range: 5060-5090
                    capture-plan: json.cfg
                transports:
                """ + transports.indent(2));
        return yaml;
    }

    private static List<JsonNode> expected(String capture) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(Env.expected(capture))) {
            if (!l.isBlank()) out.add(Env.JSON.readTree(l));
        }
        return out;
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every document against the capture's expectations, in capture order. */
    private static void assertDocuments(String capture, List<String> lines, int family, boolean payload, long captId)
            throws Exception {
        JsonNode manifest = Env.manifestEntry(capture);
        List<JsonNode> want = expected(capture);
        assertEquals(manifest.get("sip_messages").asInt(), lines.size(), "one document per SIP message");
        assertEquals(want.size(), lines.size());
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode d = Env.JSON.readTree(lines.get(i));
            JsonNode w = want.get(i);
            String at = "document " + (i + 1) + ": " + lines.get(i);
            assertEquals(String.valueOf(i + 1), d.get("packet_id").asText(), at);
            assertTrue(d.get("my_time").isIntegralNumber(), at);
            assertEquals(family, d.get("ip_family").asInt(), at);
            assertEquals(17, d.get("ip_proto").asInt(), at);
            String v = family == 10 ? "6" : "4";
            assertEquals(w.get("src_ip").asText(), d.get("src_ip" + v).asText(), at);
            assertEquals(w.get("dst_ip").asText(), d.get("dst_ip" + v).asText(), at);
            assertEquals(w.get("src_port").asInt(), d.get("src_port").asInt(), at);
            assertEquals(w.get("dst_port").asInt(), d.get("dst_port").asInt(), at);
            assertEquals(
                    w.get("ts_us").asLong(),
                    d.get("tss").asLong() * 1_000_000L + d.get("tsu").asLong(),
                    at);
            if (payload) {
                assertEquals(
                        w.get("udp_payload_sha256").asText(),
                        sha256(d.get("payload").asText()),
                        "payload byte-identical, " + at);
            } else {
                assertNull(d.get("payload"), at);
            }
            assertNull(d.get("payload_base64"), at);
            assertEquals(1, d.get("proto_type").asInt(), at);
            assertEquals(captId, d.get("capt_id").asLong(), at);
            assertEquals(w.get("call_id").asText(), d.get("sip_callid").asText(), at);
            assertEquals(
                    w.get("call_id").asText(),
                    d.get("corr_id").asText(),
                    "parse_sip sets the Call-ID as correlation id, " + at);
            if (w.get("method").isNull()) {
                assertEquals(w.get("status_code").asInt(), d.get("sip_response").asInt(), at);
                assertNull(d.get("sip_method"), at);
                assertNull(d.get("sip_request_uri"), at);
            } else {
                assertEquals(w.get("method").asText(), d.get("sip_method").asText(), at);
                assertNull(d.get("sip_response"), at);
                assertEquals(
                        w.get("first_line").asText().split(" ")[1],
                        d.get("sip_request_uri").asText(),
                        at);
            }
            assertEquals(w.get("cseq").asText().split(" ")[1], d.get("sip_cseq").asText(), at);
            assertTrue(d.get("sip_from_uri").asText().startsWith("sip:"), at);
            assertTrue(d.get("sip_to_uri").asText().startsWith("sip:"), at);
            ids.add(d.get("sip_callid").asText());
        }
        Set<String> expectedIds = new TreeSet<>();
        manifest.get("call_id_list").forEach(n -> expectedIds.add(n.asText()));
        assertEquals(expectedIds, ids);
    }

    @Test
    void udp_and_tcp_collectors_get_one_document_per_sip_message(@TempDir Path dir) throws Exception {
        String capture = "sip-udp-v4.pcap";
        try (UdpReceiver udp = new UdpReceiver("127.0.0.1");
                StreamReceiver tcp = new StreamReceiver(0, StreamReceiver.LINES)) {
            Path yaml = config(dir, """
                    jsonudp:
                      type: json
                      host: 127.0.0.1
                      port: %d
                      capture-id: 2042
                    jsontcp:
                      type: json
                      proto: tcp
                      host: 127.0.0.1
                      port: %d
                    """.formatted(udp.port(), tcp.port()));
            Proc a = replay(yaml, capture);
            assertEquals(0, a.exitCode(), a.stderr());
            int n = awaitDocuments(capture, udp, tcp);
            assertTrue(
                    a.stderr().contains("transport jsonudp: json udp 127.0.0.1:" + udp.port() + " capt_id 2042"),
                    a.stderr());
            assertTrue(a.stderr().contains("transport jsonudp: sent " + n + ","), a.stderr());
            assertTrue(a.stderr().contains("transport jsontcp: sent " + n + ","), a.stderr());
            assertDocuments(capture, udp.texts(), 2, true, 2042);
            assertDocuments(capture, tcp.texts(), 2, true, 2001); // default: agent.node-id
        }
    }

    @Test
    void ipv6_without_payload(@TempDir Path dir) throws Exception {
        String capture = "sip-udp-v6.pcap";
        try (UdpReceiver udp = new UdpReceiver("::1");
                StreamReceiver tcp = new StreamReceiver(0, StreamReceiver.LINES)) {
            Path yaml = config(dir, """
                    jsonudp:
                      type: json
                      host: "::1"
                      port: %d
                      payload-send: false
                    jsontcp:
                      type: json
                      collectors: [ "tcp:127.0.0.1:%d" ]
                    """.formatted(udp.port(), tcp.port()));
            Proc a = replay(yaml, capture);
            assertEquals(0, a.exitCode(), a.stderr());
            int n = awaitDocuments(capture, udp, tcp);
            assertDocuments(capture, udp.texts(), 10, false, 2001);
            assertDocuments(capture, tcp.texts(), 10, true, 2001);
        }
    }

    @Test
    void an_unknown_or_wrong_profile_is_a_start_error_at_the_call(@TempDir Path dir) throws Exception {
        Path yaml = config(dir, """
                jsonudp:
                  type: hep
                  port: 9
                jsontcpp:
                  type: json
                  port: 9
                """);
        Proc a = replay(yaml, "sip-udp-v4.pcap");
        assertNotEquals(0, a.exitCode());
        String err = a.stderr();
        assertTrue(err.contains("json.cfg:3:9: send_json: transport \"jsonudp\" is a hep profile"), err);
        assertTrue(err.contains("json.cfg:4:9: unknown transport profile 'jsontcp'") && err.contains("jsontcpp"), err);
        assertFalse(err.contains("sent 0"), err);
    }
}
