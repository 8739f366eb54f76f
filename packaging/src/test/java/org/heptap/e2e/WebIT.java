package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's web API against a live agent on lo (issue 14, acceptance 2 and 3): the API's
 * documents are heptapctl's, /health follows the collector, sign-in is enforced and required off
 * loopback, and a hostile client cannot stop capture or delivery.
 */
class WebIT {
    private static final String TOKEN = "web-it-token-0123456789";

    @SuppressWarnings("try") // sipp's UAS runs for the try block; it does not touch it
    @Test
    void the_api_answers_as_heptapctl_does_and_health_follows_the_collector(@TempDir Path dir) throws Exception {
        assumeTrue(Env.onPath("sipp"), "sipp is installed by bin/test-all");
        int sinkPort = Env.freeTcpPort();
        HepSink sink = HepSink.startTcp(sinkPort);
        try (WebAgent a = WebAgent.start(dir, sinkPort, "");
                Proc uas = a.startUas()) {
            a.calls(3, "0612345678", 10);
            sink.awaitRecords(3 * 6, Duration.ofSeconds(30));
            Await.until(
                    () -> a.get("/health", null).statusCode() == 200, Duration.ofSeconds(20), "/health to say healthy");
            // the traffic is over: the counters stand still, and both ways of asking agree
            String ctl = a.ctl("stats", "--json").stdout().strip();
            String web = a.get("/api/stats", null).body();
            assertEquals(ctl, web, "/api/stats is heptapctl stats --json");
            assertTrue(web.contains("\"balanced\":true"), web);
            assertEquals(
                    a.ctl("status", "--json").stdout().strip().replaceAll("\"uptime-seconds\":\\d+", ""),
                    a.get("/api/status", null).body().replaceAll("\"uptime-seconds\":\\d+", ""));

            sink.close();
            Await.until(
                    () -> a.get("/health", null).statusCode() == 503,
                    Duration.ofSeconds(30),
                    "/health to turn unhealthy with the collector gone");
            String down = a.get("/health", null).body();
            assertTrue(down.contains("collector tcp:127.0.0.1:" + sinkPort + " is unreachable"), down);

            sink = HepSink.startTcp(sinkPort);
            Await.until(
                    () -> a.get("/health", null).statusCode() == 200,
                    Duration.ofSeconds(60),
                    "/health to turn healthy again with the collector back");
        } finally {
            sink.close();
        }
    }

    @Test
    void off_loopback_without_sign_in_the_agent_refuses_to_start(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/plan.cfg"), WebAgent.PLAN);
        String yaml = WebAgent.yaml(dir, 40000, 40001, 9060, 8090, "").replace("127.0.0.1:8090", "0.0.0.0:8090");
        Path file = Files.writeString(dir.resolve("heptap.yaml"), yaml);
        int line = yaml.lines().toList().indexOf("  listen: 0.0.0.0:8090") + 1;
        String expected = file + ":" + line + ": web.listen: 0.0.0.0:8090 is not a loopback address";
        Proc start = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--config", file.toString()));
        assertEquals(1, start.exitCode(), start.stderr());
        assertTrue(start.stderr().contains(expected), start.stderr());
        Proc check = Proc.run(
                Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--config", file.toString(), "--check"));
        assertEquals(1, check.exitCode());
        assertTrue(check.stdout().contains(expected) || check.stderr().contains(expected), check.stderr());
        Proc flag = Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        Env.heptap().toString(),
                        "-r",
                        Env.home().resolve("conf/samples/sample-call.pcap").toString(),
                        "--web",
                        "0.0.0.0:8090"));
        assertEquals(1, flag.exitCode());
        assertTrue(flag.stderr().contains("--web 0.0.0.0:8090 is not a loopback address"), flag.stderr());
    }

    /** {@code heptap --hash-password} with the password on its standard input. */
    private static String hash(String password) throws Exception {
        Process p = new ProcessBuilder(Env.heptap().toString(), "--hash-password")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("pbkdf2-sha256:"), out);
        return out;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wrong_or_missing_credentials_get_401(@TempDir Path dir) throws Exception {
        String web = "token: " + TOKEN + "\nusers:\n  admin: \"" + hash("correct horse") + "\"\n";
        try (WebAgent a = WebAgent.start(dir, Env.freeTcpPort(), web)) {
            assertEquals(401, a.get("/api/stats", null).statusCode());
            assertEquals(401, a.get("/", null).statusCode());
            assertEquals(401, a.get("/api/stats", "Bearer not-the-token-at-all").statusCode());
            assertEquals(401, a.get("/api/stats", basic("admin", "wrong horse")).statusCode());
            Thread.sleep(1100); // one password check a second: the next one must not be throttled
            assertEquals(
                    200, a.get("/api/stats", basic("admin", "correct horse")).statusCode());
            assertEquals(200, a.get("/api/stats", "Bearer " + TOKEN).statusCode());
            assertEquals(200, a.get("/", basic("browser", TOKEN)).statusCode());
            HttpResponse<String> probe = a.get("/health", null);
            assertEquals("{\"healthy\":false}", probe.body(), "without sign-in /health says only the verdict");
            String status = a.get("/api/status", "Bearer " + TOKEN).body();
            assertTrue(!status.contains(TOKEN) && !status.contains("pbkdf2"), "no secret is shown: " + status);
        }
    }

    @SuppressWarnings("try") // sipp's UAS runs for the try block; it does not touch it
    @Test
    void a_thousand_idle_connections_and_a_10mb_request_stop_neither_capture_nor_delivery(@TempDir Path dir)
            throws Exception {
        assumeTrue(Env.onPath("sipp"), "sipp is installed by bin/test-all");
        int sinkPort = Env.freeTcpPort();
        int calls = 40;
        try (HepSink sink = HepSink.startTcp(sinkPort);
                WebAgent a = WebAgent.start(dir, sinkPort, "");
                Proc uas = a.startUas()) {
            List<Socket> idle = new ArrayList<>();
            Thread big = null;
            try {
                for (int i = 0; i < 1000; i++) {
                    try {
                        idle.add(new Socket("127.0.0.1", a.webPort));
                    } catch (java.io.IOException refused) {
                        // the backlog is full for a moment: the agent closes what is over its limit
                    }
                }
                big = new Thread(() -> {
                    try (Socket s = new Socket("127.0.0.1", a.webPort)) {
                        OutputStream out = s.getOutputStream();
                        out.write(("POST /api/stats HTTP/1.1\r\nHost: x\r\nContent-Length: " + (10 << 20) + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        byte[] chunk = new byte[64 * 1024];
                        for (int sent = 0; sent < 10 << 20; sent += chunk.length) out.write(chunk);
                    } catch (java.io.IOException closedByTheAgent) {
                        // expected: 413 and the connection closed
                    }
                });
                big.start();
                a.calls(calls, "0698765432", 20);
                sink.awaitRecords(calls * 6, Duration.ofSeconds(60));
                sink.flush();
                assertEquals(calls * 6, sink.read().size(), "every message of the calls reached the collector");
            } finally {
                for (Socket s : idle) s.close();
                if (big != null) big.join(30_000);
            }
            String stats = a.ctl("stats", "--json").stdout();
            assertTrue(stats.contains("\"balanced\":true"), stats);
            String counters = a.get("/api/web", null).body();
            assertTrue(counters.matches(".*\"connections-refused\":[1-9]\\d*.*"), counters);
            assertEquals(200, a.get("/health", null).statusCode(), "the agent serves on");
        }
    }
}
