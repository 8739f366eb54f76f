package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operating a running agent through heptapctl and Prometheus (issue 7, acceptance 3, 4, 6, 7):
 * live capture on lo of sipp calls on ports 5084/5085 (this test's own; other tests use others),
 * reloads with a broken and then a valid plan while calls run, pause/resume, watch, and the
 * loss ledger checked against what hep-sink received.
 */
class OperationsIT {
    private static final String PLAN = """
            capture[pcap] {
                if (parse_sip()) {
                    send_hep("%s");
                }
                drop;
            }
            """;

    private static Path config(Path dir, int port1, int port2, int metricsPort) throws Exception {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/ops.cfg"), PLAN.formatted("one"));
        Path yaml = dir.resolve("heptap.yaml");
        Files.writeString(yaml, """
                agent:
                  capture-plans: plans
                sockets:
                  sip:
                    device: lo
                    port-range: 5084-5085
                    capture-plan: ops.cfg
                transports:
                  one:
                    type: hep
                    host: 127.0.0.1
                    port: %d
                  two:
                    type: hep
                    host: 127.0.0.1
                    port: %d
                control:
                  socket: %s
                metrics:
                  listen: 127.0.0.1:%d
                """.formatted(port1, port2, dir.resolve("ctl.sock"), metricsPort));
        return yaml;
    }

    @SuppressWarnings("try") // sipp and tcpdump run for the try block; it does not touch them
    @Test
    void heptapctl_drives_a_live_agent_and_the_ledger_matches_hep_sink(@TempDir Path dir) throws Exception {
        assumeTrue(Env.onPath("sipp"), "sipp is installed by bin/test-all");
        int metricsPort = Env.freeTcpPort();
        try (HepSink one = HepSink.startUdp();
                HepSink two = HepSink.startUdp()) {
            Path yaml = config(dir, one.udpPort, two.udpPort, metricsPort);
            String sock = dir.resolve("ctl.sock").toString();
            // what sipp sends, recorded by tcpdump: the expectation for hep-sink's payloads
            Path wire = dir.resolve("calls.pcap");
            try (Proc agent = Proc.start(List.of(Env.heptap().toString(), "--config", yaml.toString()));
                    Proc uas = Proc.start(List.of("sipp", "-sn", "uas", "-i", "127.0.0.1", "-p", "5084", "-nostdin"));
                    Proc tcpdump = Proc.start(List.of(
                            "tcpdump",
                            "-i",
                            "lo",
                            "-U",
                            "-n",
                            "-w",
                            wire.toString(),
                            "udp and port 5084 and port 5085"))) {
                waitFor(agent, "socket sip: interface lo", Duration.ofSeconds(60));

                Proc status = ctl(sock, "status");
                assertEquals(0, status.exitCode(), status.stderr());
                assertTrue(status.stdout().contains("socket sip: capturing on lo"), status.stdout());
                assertTrue(
                        status.stdout().contains("transport one:")
                                && status.stdout().contains("transport two:"),
                        status.stdout());

                Await.until(
                        () -> tcpdump.stderr().contains("listening on lo"),
                        Duration.ofSeconds(30),
                        "tcpdump to listen: " + tcpdump.stderr());

                // calls run while the plan is reloaded twice
                Proc uac = Proc.start(List.of(
                        "sipp",
                        "-sn",
                        "uac",
                        "127.0.0.1:5084",
                        "-i",
                        "127.0.0.1",
                        "-p",
                        "5085",
                        "-m",
                        "100",
                        "-r",
                        "8",
                        "-d",
                        "100",
                        "-nostdin",
                        "-timeout",
                        "60s"));
                Await.until(
                        () -> one.read().stream().anyMatch(OperationsIT::ours),
                        Duration.ofSeconds(30),
                        "the first calls at hep-sink one");
                Path plan = dir.resolve("plans/ops.cfg");
                Files.writeString(plan, PLAN.formatted("one").replace("send_hep(", "send_hepp("));
                Proc broken = ctl(sock, "reload");
                assertEquals(1, broken.exitCode(), "a broken plan is refused: " + broken.stdout() + broken.stderr());
                assertTrue(broken.stderr().contains("ops.cfg:3:"), "the error names file:line:col: " + broken.stderr());
                // the running plan still sends to one after the refused reload
                long atOneWhenRefused =
                        one.read().stream().filter(OperationsIT::ours).count();
                Await.until(
                        () -> one.read().stream().filter(OperationsIT::ours).count() > atOneWhenRefused,
                        Duration.ofSeconds(30),
                        "more calls at hep-sink one after the refused reload");
                Files.writeString(plan, PLAN.formatted("two"));
                Proc good = ctl(sock, "reload");
                assertEquals(0, good.exitCode(), good.stdout() + good.stderr());
                assertTrue(uac.process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "sipp uac finished");
                assertEquals(0, uac.exitCode(), uac.stdout() + uac.stderr());
                uac.close();
                Await.until(
                        () -> ledger(sock).at("/sockets/sip/captured").asLong() >= 100 * 6,
                        Duration.ofSeconds(30),
                        "the agent to capture the 600 messages of the 100 calls");
                // tcpdump loses on SIGTERM what it has not read from the kernel yet: wait until it wrote all
                Await.until(
                        () -> {
                            try {
                                return Env.tsharkUdpPayloadShas(wire, "sip").size() >= 100 * 6;
                            } catch (AssertionError partlyWritten) {
                                return false;
                            }
                        },
                        Duration.ofSeconds(30),
                        "tcpdump to write the 600 messages to " + wire);
                tcpdump.terminate(Duration.ofSeconds(10));
                one.flush();
                two.flush();
                List<String> wanted = new ArrayList<>(Env.tsharkUdpPayloadShas(wire, "sip"));
                assertEquals(100 * 6, wanted.size(), "tcpdump saw the 100 calls: " + tcpdump.stderr());
                List<String> delivered = new ArrayList<>(Env.payloadShas(
                        one.read().stream().filter(OperationsIT::ours).toList()));
                delivered.addAll(Env.payloadShas(
                        two.read().stream().filter(OperationsIT::ours).toList()));
                Collections.sort(wanted);
                Collections.sort(delivered);
                assertEquals(
                        wanted, delivered, "hep-sinks one and two together got every message sipp sent, byte for byte");

                JsonNode ledger = ledger(sock);
                long sentOne = ledger.at("/transports/one/sent").asLong();
                long sentTwo = ledger.at("/transports/two/sent").asLong();
                assertTrue(sentOne > 0 && sentTwo > 0, "traffic went to one, then to two: " + ledger);
                assertEquals(100 * 6, sentOne + sentTwo, "no message lost across the reloads: " + ledger);
                assertTrue(ledger.get("balanced").asBoolean(), "ledger balances: " + ledger);
                assertEquals(100 * 6, ledger.at("/sockets/sip/captured").asLong());

                // the Prometheus endpoint shows the same numbers
                String metrics = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertEquals(
                        ledger.at("/sockets/sip/captured").asLong(),
                        metric(metrics, "heptap_packets_captured_total{socket=\"sip\"}"));
                assertEquals(sentOne, metric(metrics, "heptap_transport_sent_total{transport=\"one\"}"));
                assertEquals(sentTwo, metric(metrics, "heptap_transport_sent_total{transport=\"two\"}"));
                assertEquals(
                        ledger.at("/transports/two/bytes").asLong(),
                        metric(metrics, "heptap_transport_bytes_total{transport=\"two\"}"));
                assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics");
                for (String help :
                        metrics.lines().filter(l -> l.startsWith("# HELP ")).toList()) {
                    assertTrue(
                            help.split(" ", 4).length == 4 && !help.split(" ", 4)[3].isBlank(),
                            "every meter says what it counts: '" + help + "'");
                }
                // the SIP module's counters, as heplify has them: sipp's 100 calls, each INVITE/ACK/BYE and 180/200/200
                assertEquals(100, metric(metrics, "heptap_sip_requests_total{method=\"INVITE\",socket=\"sip\"}"));
                assertEquals(100, metric(metrics, "heptap_sip_requests_total{method=\"BYE\",socket=\"sip\"}"));
                long sip = metrics.lines()
                        .filter(l -> l.startsWith("heptap_sip_re") && l.contains("socket=\"sip\""))
                        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                        .sum();
                assertEquals(100 * 6, sip, "every SIP message counted once by method or code");

                // pause: frames are counted, nothing is sent; resume: sending again
                assertEquals(0, ctl(sock, "pause", "sip").exitCode());
                runCalls(2);
                Await.until(
                        () -> ledger(sock).at("/sockets/sip/paused").asLong() >= 12,
                        Duration.ofSeconds(30),
                        "the 12 messages of 2 calls counted as paused");
                JsonNode paused = ledger(sock);
                assertEquals(sentTwo, paused.at("/transports/two/sent").asLong(), "nothing sent while paused");
                assertEquals(12, paused.at("/sockets/sip/paused").asLong(), "paused frames are counted");
                assertEquals(0, ctl(sock, "resume", "sip").exitCode());

                // watch: INVITE transactions stream in the ngrep form
                try (Proc watch = Proc.start(List.of(
                        Env.home().resolve("bin/heptapctl").toString(),
                        "--socket",
                        sock,
                        "watch",
                        "--method",
                        "INVITE"))) {
                    // heptapctl says "watching ..." once the agent has acknowledged the subscription
                    Await.until(
                            () -> watch.stderr().contains("watching "),
                            Duration.ofSeconds(30),
                            "heptapctl watch to subscribe: " + watch.stderr());
                    runCalls(2);
                    Await.until(
                            () -> watch.stdout().split("\nINVITE sip:", -1).length - 1 >= 2,
                            Duration.ofSeconds(30),
                            "the 2 INVITEs in the watch: " + watch.stdout());
                    watch.terminate(Duration.ofSeconds(5));
                    String w = watch.stdout();
                    assertTrue(w.contains("127.0.0.1:5085 -> 127.0.0.1:5084\nINVITE sip:"), w + watch.stderr());
                    assertTrue(
                            Pattern.compile("(?m)^U \\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} ")
                                    .matcher(w)
                                    .find(),
                            w);
                    assertTrue(!w.contains("\nBYE sip:"), "--method INVITE leaves out BYE: " + w);
                }
                Await.until(
                        () -> ledger(sock).at("/transports/two/sent").asLong() >= sentTwo + 12,
                        Duration.ofSeconds(30),
                        "the 12 messages of the watched calls sent to two");
                agent.terminate(Duration.ofSeconds(30));
                String log = agent.stderr();
                List<JsonNode> got = new ArrayList<>(one.stopAndRead());
                List<JsonNode> gotTwo = two.stopAndRead();
                long atOne = got.stream().filter(OperationsIT::ours).count();
                long atTwo = gotTwo.stream().filter(OperationsIT::ours).count();
                assertEquals(sentOne, atOne, "hep-sink one received what the ledger says was sent");
                // the 2 calls while paused were not sent; the 2 while watching (12 messages) were
                assertEquals(sentTwo + 12, atTwo, "hep-sink two received what the ledger says was sent");
                Matcher fin = Pattern.compile(
                                "ledger: captured (\\d+) frames(?: \\([^)]*\\))?, sent (\\d+) messages(?: \\([^)]*\\))?, unsent (\\d+).*; balanced")
                        .matcher(log);
                assertTrue(fin.find(), "final ledger line: " + log);
                assertEquals(atOne + atTwo, Long.parseLong(fin.group(2)));
                assertEquals(0, Long.parseLong(fin.group(3)));
                // the reload rebuilt both transports: their final lines still count from the start, as the ledger does
                assertTrue(log.contains("transport one: sent " + atOne + ","), "final line of transport one: " + log);
                assertTrue(log.contains("transport two: sent " + atTwo + ","), "final line of transport two: " + log);
            }
        }
    }

    @Test
    void after_a_replay_the_ledger_balances_and_sent_equals_hep_sink(@TempDir Path dir) throws Exception {
        try (HepSink one = HepSink.startUdp();
                HepSink two = HepSink.startUdp()) {
            Path yaml = config(dir, one.udpPort, two.udpPort, Env.freeTcpPort());
            Files.writeString(yaml, Files.readString(yaml).replace("5084-5085", "5060-5090"));
            Proc run = Proc.run(
                    Duration.ofSeconds(120),
                    List.of(
                            Env.heptap().toString(),
                            "--config",
                            yaml.toString(),
                            "-r",
                            Env.corpus("sip-methods.pcap").toString()));
            assertEquals(0, run.exitCode(), run.stderr());
            long got = one.stopAndRead().size();
            Matcher fin = Pattern.compile(
                            "ledger: captured (\\d+) frames(?: \\([^)]*\\))?, sent (\\d+) messages(?: \\([^)]*\\))?, unsent (\\d+); balanced")
                    .matcher(run.stderr());
            assertTrue(fin.find(), run.stderr());
            assertEquals(got, Long.parseLong(fin.group(2)), "sent equals what hep-sink received");
            assertTrue(got > 0);
        }
    }

    private static boolean ours(JsonNode m) {
        int s = m.get("srcPort").asInt();
        int d = m.get("dstPort").asInt();
        return (s == 5084 || s == 5085) && (d == 5084 || d == 5085);
    }

    private static long metric(String text, String series) {
        for (String l : text.split("\n")) {
            if (l.startsWith(series + " "))
                return (long)
                        Double.parseDouble(l.substring(series.length() + 1).trim());
        }
        throw new AssertionError("no " + series + " in /metrics:\n" + text);
    }

    private static void runCalls(int n) throws Exception {
        Proc uac = Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        "sipp",
                        "-sn",
                        "uac",
                        "127.0.0.1:5084",
                        "-i",
                        "127.0.0.1",
                        "-p",
                        "5085",
                        "-m",
                        Integer.toString(n),
                        "-r",
                        "10",
                        "-d",
                        "100",
                        "-nostdin",
                        "-timeout",
                        "30s"));
        assertEquals(0, uac.exitCode(), uac.stdout() + uac.stderr());
    }

    private static JsonNode ledger(String sock) throws Exception {
        Proc stats = ctl(sock, "--json", "stats");
        assertEquals(0, stats.exitCode(), stats.stderr());
        return Env.JSON.readTree(stats.stdout()).get("ledger");
    }

    private static Proc ctl(String sock, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of(Env.home().resolve("bin/heptapctl").toString(), "--socket", sock));
        cmd.addAll(List.of(args));
        return Proc.run(Duration.ofSeconds(60), cmd);
    }

    private static void waitFor(Proc p, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (p.stderr().contains(text)) return;
            if (!p.process.isAlive()) throw new AssertionError(p.command + " exited: " + p.stderr());
            Thread.sleep(100);
        }
        throw new AssertionError(p.command + " did not say '" + text + "': " + p.stderr());
    }
}
