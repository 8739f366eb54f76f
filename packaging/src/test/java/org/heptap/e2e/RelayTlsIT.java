package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heptap.core.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HEP relay over TLS (issue 4: the collector socket receives HEP over TLS too). heptap A has two
 * TLS collector sockets relaying to hep-sink over UDP: {@code relay} (server certificate only)
 * and {@code mutual} (client certificates from the test CA required). Into each go heptap B
 * replaying a corpus capture with its TLS transport (verifying A against the test CA; with a
 * client certificate for {@code mutual}) and socat's OPENSSL client with hep.pcap's HEP3 packets
 * back to back. hep-sink must get, through A, exactly what the same senders give it directly
 * (twice: once per socket). Bad clients come before the good ones: a client with the wrong CA, a
 * plain TCP client, a client without a certificate and one with a certificate from another CA
 * are each rejected with one log line naming the peer and the reason, and the socket serves the
 * next client.
 */
@Offline
class RelayTlsIT {
    private static final String CAPTURE = "sip-udp-v4.pcap";
    private static final Pattern CALL_ID = Pattern.compile("\r\n(?:Call-ID|i): *([^\r\n]+)");

    @TempDir
    Path dir;

    private static List<String> socat(String to, String options, Path bytes) {
        return List.of("socat", "-u", "OPEN:" + bytes, "OPENSSL:" + to + "," + options);
    }

    @Test
    void tls_collector_relays_heptap_and_socat_hep_and_rejects_bad_clients_in_one_line_each() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        List<byte[]> hep = RelayIT.hepPcapDatagrams();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] d : hep) {
            assertEquals(
                    "HEP3",
                    new String(d, 0, 4, java.nio.charset.StandardCharsets.US_ASCII),
                    "hep.pcap holds HEP3 only");
            stream.write(d);
        }
        Path hepBytes = Files.write(dir.resolve("hep3.bin"), stream.toByteArray());
        int relayPort = Env.freeTcpPort();
        int mutualPort = Env.freeTcpPort();
        assertNotEquals(relayPort, mutualPort);
        String relayAt = "127.0.0.1:" + relayPort;
        String mutualAt = "127.0.0.1:" + mutualPort;
        String ca = "cafile=" + pki.path("ca.pem");

        List<JsonNode> direct;
        List<JsonNode> viaRelay;
        String log;
        try (HepSink directSink = HepSink.startUdp();
                HepSink relaySink = HepSink.startUdp()) {
            Path yaml = Files.writeString(dir.resolve("heptap.yaml"), """
                    agent:
                      capture-plans: %s
                    sockets:
                      relay:
                        type: collector
                        format: hep
                        listen: [ "tls:%s" ]
                        tls:
                          cert: %s
                          key: %s
                        capture-plan: hep_relay_capture_plan.cfg
                      mutual:
                        type: collector
                        format: hep
                        listen: [ "tls:%s" ]
                        tls:
                          cert: %s
                          key: %s
                          client-ca: %s
                        capture-plan: hep_relay_capture_plan.cfg
                    transports:
                      hepsocket:
                        type: hep
                        host: 127.0.0.1
                        port: %d
                    """.formatted(
                            Env.home().resolve("conf/captureplans"),
                            relayAt,
                            pki.path("server.pem"),
                            pki.path("server.key"),
                            mutualAt,
                            pki.path("server.pem"),
                            pki.path("server.key"),
                            pki.path("ca.pem"),
                            relaySink.udpPort));
            try (Proc relay = Proc.start(List.of(Env.heptap().toString(), "--config", yaml.toString()))) {
                RelayIT.waitFor(relay, "socket mutual: collector listening", Duration.ofSeconds(60));
                RelayIT.waitFor(relay, "socket relay: collector listening", Duration.ofSeconds(5));
                assertTrue(
                        relay.stderr()
                                .contains("tls presenting " + pki.path("server.pem")
                                        + ", client certificate required from " + pki.path("ca.pem")),
                        relay.stderr());

                // what the senders send, straight to the direct sink
                try (DatagramSocket s = new DatagramSocket()) {
                    for (byte[] d : hep) {
                        s.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), directSink.udpPort));
                        Thread.sleep(5);
                    }
                }
                Proc b0 = QuickReplay.sip(CAPTURE, "-H", "udp:127.0.0.1:" + directSink.udpPort);

                // socket relay: a client that does not trust A's certificate, and one that speaks no TLS ...
                Proc wrongCa = Proc.run(
                        Duration.ofSeconds(30), socat(relayAt, "cafile=" + pki.path("other-ca.pem"), hepBytes));
                assertNotEquals(0, wrongCa.exitCode(), "socat with the wrong CA fails: " + wrongCa.stderr());
                awaitRejections(relay, "relay", 1);
                try (Socket plain = new Socket("127.0.0.1", relayPort)) {
                    plain.getOutputStream().write(hep.get(0));
                    plain.getOutputStream().flush();
                    awaitRejections(relay, "relay", 2);
                }
                // ... then heptap B over TLS verifying A, and socat with the right CA
                Proc b1 = QuickReplay.sip(
                        CAPTURE,
                        "-H",
                        "tls:" + relayAt,
                        "--tls-ca",
                        pki.path("ca.pem").toString());
                assertTrue(b1.stderr().contains("sent 140,"), b1.stderr());
                Proc good1 = Proc.run(Duration.ofSeconds(30), socat(relayAt, ca, hepBytes));
                assertEquals(0, good1.exitCode(), good1.stderr());

                // socket mutual: no client certificate, then one from another CA ...
                Proc noCert = Proc.run(Duration.ofSeconds(30), socat(mutualAt, ca, hepBytes));
                awaitRejections(relay, "mutual", 1);
                java.util.function.Function<String, String> withCert =
                        name -> ca + ",cert=" + pki.path(name + ".pem") + ",key=" + pki.path(name + ".key");
                Proc otherCert =
                        Proc.run(Duration.ofSeconds(30), socat(mutualAt, withCert.apply("other-client"), hepBytes));
                awaitRejections(relay, "mutual", 2);
                // ... then socat and heptap B with the agent certificate
                Proc good2 = Proc.run(Duration.ofSeconds(30), socat(mutualAt, withCert.apply("client"), hepBytes));
                assertEquals(0, good2.exitCode(), good2.stderr() + "\n" + noCert.stderr() + otherCert.stderr());
                Proc b2 = QuickReplay.sip(
                        CAPTURE,
                        "-H",
                        "tls:" + mutualAt,
                        "--tls-ca",
                        pki.path("ca.pem").toString(),
                        "--tls-cert",
                        pki.path("client.pem").toString(),
                        "--tls-key",
                        pki.path("client.key").toString());
                assertTrue(b2.stderr().contains("sent 140,"), b2.stderr());

                direct = directSink.stopAndRead();
                int want = 2 * direct.size();
                long until = System.nanoTime() + 20_000_000_000L;
                while (relaySink.read().size() < want && System.nanoTime() < until) Thread.sleep(200);
                relay.terminate(Duration.ofSeconds(20));
                log = relay.stderr();
                viaRelay = relaySink.stopAndRead();
            }
        }
        int sip = Env.manifestEntry(CAPTURE).get("sip_messages").asInt();
        assertEquals(hep.size() + sip, direct.size(), "direct sink: hep.pcap + one replay");
        assertEquals(2 * (hep.size() + sip), viaRelay.size(), "relayed: the same through each socket\n" + log);
        Map<String, Integer> expected = new TreeMap<>();
        RelayIT.multiset(direct).forEach((k, v) -> expected.put(k, 2 * v));
        assertEquals(expected, RelayIT.multiset(viaRelay), "relayed HEP equals what the senders sent\n" + log);
        // Call-IDs of the replays, in payload and correlation id
        TreeSet<String> expectedIds = new TreeSet<>();
        Env.manifestEntry(CAPTURE).get("call_id_list").forEach(n -> expectedIds.add(n.asText()));
        TreeSet<String> ids = new TreeSet<>();
        int fromReplays = 0;
        for (JsonNode m : viaRelay) {
            if (m.get("srcPort").asInt() != 5061 && m.get("srcPort").asInt() != 5062) continue;
            fromReplays++;
            Matcher cid = CALL_ID.matcher(m.get("payload").asText());
            assertTrue(cid.find(), m.toString());
            assertEquals(cid.group(1).trim(), m.get("correlation_id").asText(), "correlation id kept");
            ids.add(cid.group(1).trim());
        }
        assertEquals(2 * sip, fromReplays);
        assertEquals(expectedIds, ids);

        // one line per rejected client, naming it and why
        List<String> relayLines = rejections(log, "relay");
        assertEquals(2, relayLines.size(), log);
        assertTrue(
                relayLines.get(0).contains("certificate, tls.cert")
                        || relayLines.get(0).contains("does not trust our certificate"),
                relayLines.get(0));
        assertTrue(relayLines.get(1).contains("it does not speak TLS"), relayLines.get(1));
        List<String> mutualLines = rejections(log, "mutual");
        System.out.println(
                "rejections logged:\n" + String.join("\n", relayLines) + "\n" + String.join("\n", mutualLines));
        assertEquals(2, mutualLines.size(), log);
        assertTrue(mutualLines.get(0).contains("sent no client certificate"), mutualLines.get(0));
        assertTrue(
                mutualLines.get(1).contains("its client certificate is not issued by a CA in tls.client-ca"),
                mutualLines.get(1));
        assertTrue(log.matches("(?s).*socket relay: .*collector-tls-handshake-failures 2.*"), log);
        assertTrue(log.matches("(?s).*socket mutual: .*collector-tls-handshake-failures 2.*"), log);
        assertTrue(log.contains("collector-undecodable 0"), log);
    }

    @Test
    void wrong_tls_files_and_values_stop_the_start_with_file_line_key_problem() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "no certificate here\n");
        Path yaml = Files.writeString(dir.resolve("relay.yaml"), """
                agent:
                  capture-plans: %s
                sockets:
                  relay:
                    type: collector
                    format: hep
                    listen: [ "tls:127.0.0.1:%d" ]
                    tls:
                      cert: %s
                      key: %s
                      protocols: [TLSv1.3, TLSv1]
                    capture-plan: hep_relay_capture_plan.cfg
                  keyless:
                    type: collector
                    format: hep
                    listen: [ "tls:127.0.0.1:%d" ]
                    tls:
                      cert: %s
                      key: %s
                    capture-plan: hep_relay_capture_plan.cfg
                transports:
                  hepsocket:
                    type: hep
                    host: 127.0.0.1
                    port: 9
                """.formatted(
                        Env.home().resolve("conf/captureplans"),
                        Env.freeTcpPort(),
                        garbage,
                        dir.resolve("no-such.key"),
                        Env.freeTcpPort(),
                        pki.path("server.pem"),
                        pki.path("client.key")));
        Proc p = Proc.run(
                Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--config", yaml.toString(), "--check"));
        assertNotEquals(0, p.exitCode());
        String out = p.stdout() + p.stderr();
        assertTrue(out.contains(yaml + ":9: sockets.relay.tls.cert: " + garbage + ": "), out);
        assertTrue(
                out.contains(
                        yaml + ":10: sockets.relay.tls.key: " + dir.resolve("no-such.key") + ": no such readable file"),
                out);
        assertTrue(out.contains(yaml + ":11: sockets.relay.tls.protocols: TLSv1 is not allowed"), out);
        assertTrue(
                out.contains(yaml + ":19: sockets.keyless.tls.key: " + pki.path("client.key")
                        + ": is not the private key of the certificate in cert (CN=127.0.0.1)"),
                out);
        assertTrue(!out.contains("Exception"), out);
    }

    private static List<String> rejections(String log, String socket) {
        List<String> out = new ArrayList<>();
        Pattern p = Pattern.compile("socket " + socket + ": tls from 127\\.0\\.0\\.1:\\d+ rejected: .*");
        for (String l : log.split("\n")) {
            if (p.matcher(l).find()) out.add(l);
        }
        return out;
    }

    private static void awaitRejections(Proc relay, String socket, int n) throws Exception {
        long until = System.nanoTime() + 15_000_000_000L;
        while (rejections(relay.stderr(), socket).size() < n && System.nanoTime() < until) Thread.sleep(100);
        assertEquals(n, rejections(relay.stderr(), socket).size(), relay.stderr());
    }
}
