package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heptap.core.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way heptap reaches a collector, against real peers: hep-sink over TCP, TLS (socat's
 * OPENSSL-LISTEN in front of hep-sink, with a CA and certificates made here with openssl), HEP3
 * compressed, HEP v2 and v1 over UDP; fan-out; collector outages with the disk spool.
 *
 * <p>hep-sink's HEP v2 decoder starts the payload at the header-length byte, so for v2 its
 * "payload" begins with our 12-byte time block (our encoding follows the spec, captagent and
 * Wireshark); v2 checks therefore look for the SIP text inside the payload, not at its start.
 */
@Offline
class TransportsIT {
    private static final String CAPTURE = "sip-udp-v4.pcap";

    @TempDir
    static Path pki;

    /** The test CA, a server certificate for 127.0.0.1, an unrelated CA (other-ca.pem): see {@link TestPki}. */
    @BeforeAll
    static void makeCertificates() throws Exception {
        TestPki.create(pki);
    }

    /** socat terminating TLS on a free port and forwarding the plain stream to hep-sink. */
    private static Proc tlsTerminator(int sinkPort) throws Exception {
        int port = Env.freeTcpPort();
        Proc p = Proc.start(List.of(
                "socat",
                "OPENSSL-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork,verify=0,cert=" + pki.resolve("server.pem")
                        + ",key=" + pki.resolve("server.key"),
                "TCP:127.0.0.1:" + sinkPort));
        HepSink.waitListening(port, p, "-Hltn");
        tlsPorts.set(port);
        return p;
    }

    private static final ThreadLocal<Integer> tlsPorts = new ThreadLocal<>();

    /** Bytes in the spool directory's files. */
    private static long spooled(Path spool) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(spool)) {
            long bytes = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) bytes += Files.size(f);
            return bytes;
        }
    }

    private static List<String> agent(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Env.heptap().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void assertEveryMessage(List<JsonNode> got, int version) {
        JsonNode manifest = Env.manifestEntry(CAPTURE);
        assertEquals(manifest.get("sip_messages").asInt(), got.size(), "SIP messages delivered");
        Set<String> expectedIds = new TreeSet<>();
        manifest.get("call_id_list").forEach(n -> expectedIds.add(n.asText()));
        Set<String> ids = new TreeSet<>();
        for (JsonNode m : got) {
            assertEquals(version, m.get("version").asInt());
            String p = m.get("payload").asText();
            Matcher cid = Pattern.compile("\r\n(?:Call-ID|i): *([^\r\n]+)").matcher(p);
            assertTrue(cid.find(), "payload holds a SIP message: " + p);
            ids.add(cid.group(1).trim());
        }
        assertEquals(expectedIds, ids);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"tcp,3,false", "tls,3,false", "tcp-compressed,3,true", "udp-v2,2,false", "udp-v1,1,false"})
    void hep_sink_decodes_every_message(String how, int version, boolean compress) throws Exception {
        boolean tcp = how.startsWith("tcp") || how.equals("tls");
        try (HepSink sink = tcp ? HepSink.startTcp(0) : HepSink.startUdp()) {
            Proc tls = how.equals("tls") ? tlsTerminator(sink.udpPort) : null;
            try {
                List<String> cmd =
                        agent("-r", Env.corpus(CAPTURE).toString(), "--hep-version", String.valueOf(version));
                if (how.equals("tls"))
                    cmd.addAll(List.of(
                            "-H",
                            "tls:127.0.0.1:" + tlsPorts.get(),
                            "--tls-ca",
                            pki.resolve("ca.pem").toString()));
                else cmd.addAll(List.of("-H", (tcp ? "tcp" : "udp") + ":127.0.0.1:" + sink.udpPort));
                if (compress) cmd.add("--compress");
                Proc a = Proc.run(Duration.ofSeconds(60), cmd);
                assertEquals(0, a.exitCode(), a.stderr());
                List<JsonNode> got = sink.stopAndRead();
                assertEveryMessage(got, version);
                // every version: the SIP bytes tshark saw, in capture order (hep-sink takes v1/v2
                // payloads from after the address and, for v2, time headers)
                assertEquals(
                        Env.expectedPayloadShas(CAPTURE),
                        Env.payloadShas(got),
                        "byte-identical payloads in capture order");
                assertTrue(a.stderr().contains("transport hepsocket: sent 140,"), a.stderr());
            } finally {
                if (tls != null) tls.close();
            }
        }
    }

    @Test
    void tcp_refuses_hep_v2_at_start_with_a_clear_error() throws Exception {
        Proc a = Proc.run(
                Duration.ofSeconds(30),
                agent("-r", Env.corpus(CAPTURE).toString(), "-H", "tcp:127.0.0.1:9", "--hep-version", "2"));
        assertTrue(a.exitCode() != 0);
        assertTrue(a.stderr().contains("HEP v2 cannot be sent over tcp or tls"), a.stderr());
    }

    @Test
    void fan_out_gives_both_collectors_every_message() throws Exception {
        try (HepSink a = HepSink.startTcp(0);
                HepSink b = HepSink.startUdp()) {
            Proc p = Proc.run(
                    Duration.ofSeconds(60),
                    agent(
                            "-r",
                            Env.corpus(CAPTURE).toString(),
                            "-H",
                            "tcp:127.0.0.1:" + a.udpPort + ",udp:127.0.0.1:" + b.udpPort));
            assertEquals(0, p.exitCode(), p.stderr());
            List<String> want = Env.expectedPayloadShas(CAPTURE);
            assertEquals(want, Env.payloadShas(a.stopAndRead()));
            assertEquals(want, Env.payloadShas(b.stopAndRead()));
            assertTrue(p.stderr().contains("tcp:127.0.0.1:" + a.udpPort + " sent 140"), p.stderr());
        }
    }

    /** Acceptance 3a: collector down at start for 5 s; paced replay; everything arrives once, in order. */
    @Test
    void collector_down_at_start_then_up_gets_everything_once_in_order(@TempDir Path spool) throws Exception {
        int port = Env.freeTcpPort();
        Proc a = Proc.start(agent(
                "-r",
                Env.corpus(CAPTURE).toString(),
                "--speed",
                "0.2",
                "-H",
                "tcp:127.0.0.1:" + port,
                "--buffer-dir",
                spool.toString(),
                "--buffer-max",
                "10MB"));
        try {
            // the collector stays down until the agent has failed to connect and spooled messages
            Await.until(
                    () -> !a.process.isAlive() || a.stderr().contains("cannot connect to") && spooled(spool) > 0,
                    Duration.ofSeconds(60),
                    "the agent to spool while the collector is down");
            assertTrue(a.process.isAlive(), "still replaying (paced): " + a.stderr());
            try (HepSink sink = HepSink.startTcp(port)) {
                assertTrue(a.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "agent finished");
                assertEquals(0, a.exitCode(), a.stderr());
                assertEquals(Env.expectedPayloadShas(CAPTURE), Env.payloadShas(sink.stopAndRead()));
            }
            String log = a.stderr();
            assertTrue(log.contains("cannot connect to tcp:127.0.0.1:" + port + ": Connection refused"), log);
            assertTrue(
                    log.matches(
                            "(?s).*transport hepsocket: sent 140, .*buffered 0, spooled [1-9]\\d*, .*reconnects [1-9].*"),
                    log);
            assertTrue(log.matches("(?s).*ledger: .*, sent 140 messages.*, unsent 0; balanced.*"), log);
            try (var left = Files.walk(spool)) {
                assertEquals(0, left.filter(Files::isRegularFile).count(), "drained spool leaves no file");
            }
        } finally {
            a.close();
        }
    }

    /** Acceptance 3b: a whole run with the collector down; the next run drains the spool once, in order. */
    @Test
    void spool_survives_an_agent_restart(@TempDir Path spool) throws Exception {
        int port = Env.freeTcpPort();
        Proc first = Proc.run(
                Duration.ofSeconds(60),
                agent(
                        "-r",
                        Env.corpus(CAPTURE).toString(),
                        "-H",
                        "tcp:127.0.0.1:" + port,
                        "--buffer-dir",
                        spool.toString()));
        assertEquals(6, first.exitCode(), "none delivered (spooled for the next run): " + first.stderr());
        assertTrue(first.stderr().contains("140 packets stay in the spool"), first.stderr());
        assertTrue(
                first.stderr().contains("unsent 140 (transport hepsocket spool-pending 140); balanced"),
                first.stderr());
        try (HepSink sink = HepSink.startTcp(port)) {
            // a run that captures no SIP (RTCP only): all it sends is what the spool holds
            Proc second = Proc.run(
                    Duration.ofSeconds(60),
                    agent(
                            "-r",
                            Env.corpus("rtcp-only.pcap").toString(),
                            "-H",
                            "tcp:127.0.0.1:" + port,
                            "--buffer-dir",
                            spool.toString()));
            assertEquals(0, second.exitCode(), second.stderr());
            assertTrue(
                    second.stderr().contains("140 packets (") && second.stderr().contains("left in the spool"),
                    second.stderr());
            // the earlier run's packets are this run's input too: sent 140 of 0 offered still balances
            assertTrue(
                    second.stderr()
                            .matches("(?s).*ledger: captured \\d+ frames.*, sent 140 messages.*, unsent 0; balanced.*"),
                    second.stderr());
            assertEquals(Env.expectedPayloadShas(CAPTURE), Env.payloadShas(sink.stopAndRead()));
        }
        try (var left = Files.walk(spool)) {
            assertEquals(0, left.filter(Files::isRegularFile).count(), "drained spool leaves no file");
        }
    }

    /** Acceptance 3c: the collector dies mid-run and is back after 5 s. */
    @Test
    void collector_killed_mid_run_loses_at_most_what_the_agent_reports(@TempDir Path spool) throws Exception {
        int port = Env.freeTcpPort();
        HepSink first = HepSink.startTcp(port);
        try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
            assertTrue(probe.isConnected());
        }
        // 0.12 × recorded speed: a 16 s replay, so the back-off (0.5 s doubling, ±20 %) reconnects
        // to the second sink, up 5 s after the first died, well before the replay ends
        Proc a = Proc.start(agent(
                "-r",
                Env.corpus(CAPTURE).toString(),
                "--speed",
                "0.12",
                "-H",
                "tcp:127.0.0.1:" + port,
                "--buffer-dir",
                spool.toString()));
        try {
            // kill the collector once traffic flows through it (a fixed delay fails when the JVM
            // starts slowly on a busy machine: the agent then never sees this collector at all)
            long until = System.nanoTime() + 60_000_000_000L;
            while (first.read().size() < 20 && System.nanoTime() < until && a.process.isAlive()) Thread.sleep(100);
            List<JsonNode> before = first.stopAndRead();
            first.close();
            // back once the agent has seen the connection go and failed to reconnect
            Await.until(
                    () -> !a.process.isAlive()
                            || a.stderr()
                                                    .indexOf(
                                                            "cannot connect to",
                                                            a.stderr().indexOf(" lost after "))
                                            > 0
                                    && a.stderr().contains(" lost after "),
                    Duration.ofSeconds(60),
                    "the agent to notice the collector is gone");
            List<JsonNode> after;
            try (HepSink second = HepSink.startTcp(port)) {
                assertTrue(a.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "agent finished");
                after = second.stopAndRead();
            }
            String log = a.stderr();
            Matcher unsent = Pattern.compile("ledger: .*, unsent (\\d+)").matcher(log);
            assertTrue(unsent.find(), log);
            // 0 when the outage lost nothing the agent knows of, 5 (some undelivered) when it did
            assertEquals(Long.parseLong(unsent.group(1)) == 0 ? 0 : 5, a.exitCode(), log);
            Matcher lost = Pattern.compile("lost after (\\d+) packets were written to it; up to the last (\\d+)")
                    .matcher(log);
            assertTrue(lost.find(), log);
            int atRisk = Integer.parseInt(lost.group(2));
            List<String> got = new ArrayList<>(Env.payloadShas(before));
            got.addAll(Env.payloadShas(after));
            List<String> want = Env.expectedPayloadShas(CAPTURE);
            // in order and never twice: what arrived is the capture with at most a gap of unconfirmed packets
            int i = 0;
            for (String s : got) {
                while (i < want.size() && !want.get(i).equals(s)) i++;
                assertTrue(i < want.size(), "arrived out of order or twice: " + s);
                i++;
            }
            assertTrue(
                    want.size() - got.size() <= atRisk,
                    "missing " + (want.size() - got.size()) + " > reported " + atRisk + "\n" + log);
            assertFalse(before.isEmpty() || after.isEmpty(), "traffic on both sides of the outage");
        } finally {
            a.close();
        }
    }

    /** Acceptance 4: wrong CA — one clear line naming the collector and the reason; capture goes on into the spool. */
    @SuppressWarnings("try") // the TLS terminator runs for the try block; it does not touch it
    @Test
    void tls_with_the_wrong_ca_fails_clearly_and_keeps_buffering(@TempDir Path spool) throws Exception {
        try (HepSink sink = HepSink.startTcp(0);
                Proc tls = tlsTerminator(sink.udpPort)) {
            int port = tlsPorts.get();
            Proc a = Proc.run(
                    Duration.ofSeconds(60),
                    agent(
                            "-r",
                            Env.corpus(CAPTURE).toString(),
                            "-H",
                            "tls:127.0.0.1:" + port,
                            "--tls-ca",
                            pki.resolve("other-ca.pem").toString(),
                            "--buffer-dir",
                            spool.toString()));
            assertEquals(6, a.exitCode(), "none delivered: " + a.stderr());
            String log = a.stderr();
            List<String> lines = log.lines()
                    .filter(l -> l.contains("cannot connect to tls:127.0.0.1:" + port))
                    .toList();
            assertEquals(1, lines.size(), log);
            assertTrue(
                    lines.get(0).contains("TLS: ") && lines.get(0).toLowerCase().contains("certif"), lines.get(0));
            assertTrue(log.contains("140 packets stay in the spool"), log);
            assertTrue(sink.stopAndRead().isEmpty());
        }
    }
}
