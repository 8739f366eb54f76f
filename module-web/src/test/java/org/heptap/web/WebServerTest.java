package org.heptap.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.heptap.core.control.AgentReports;
import org.heptap.core.control.ControlServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebServerTest {
    private static final String TOKEN = "0123456789abcdef-token";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private HttpResponse<String> get(WebTestAgent a, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statsAndStatusAreTheControlSocketsDocuments() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "")) {
            HttpResponse<String> stats = get(a, "/api/stats", null);
            assertEquals(200, stats.statusCode());
            assertEquals(
                    "application/json; charset=utf-8",
                    stats.headers().firstValue("content-type").orElse(""));
            assertEquals(AgentReports.json(AgentReports.stats(a.agent)), stats.body());
            String status = get(a, "/api/status", null).body();
            assertTrue(status.startsWith("{\"ok\":true,\"version\":\"test\""), status);
            assertTrue(status.contains("\"name\":\"sip\""), status);
        }
    }

    @Test
    void theStatsBodyIsWhatHeptapctlReads() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "")) {
            ControlServer control = ControlServer.start(a.ops, dir.resolve("ctl.sock"));
            try {
                assertEquals(
                        AgentReports.json(control.answer(new String[] {"stats"})),
                        get(a, "/api/stats", null).body());
            } finally {
                control.close();
            }
        }
    }

    @Test
    void healthIs503WhileNoSocketCaptures() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "")) {
            HttpResponse<String> h = get(a, "/health", null);
            assertEquals(503, h.statusCode());
            assertTrue(h.body().contains("\"socket sip is not capturing\""), h.body());
        }
    }

    @Test
    void withATokenEverythingButTheHealthVerdictNeedsIt() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "token: " + TOKEN + "\n")) {
            HttpResponse<String> missing = get(a, "/api/stats", null);
            assertEquals(401, missing.statusCode());
            assertEquals(
                    "Basic realm=\"heptap\", charset=\"UTF-8\"",
                    missing.headers().firstValue("www-authenticate").orElse(""));
            assertEquals(
                    401, get(a, "/api/stats", "Bearer wrong-token-0123456789").statusCode());
            assertEquals(401, get(a, "/", null).statusCode());
            assertEquals(200, get(a, "/api/stats", "Bearer " + TOKEN).statusCode());
            assertEquals("{\"healthy\":false}", get(a, "/health", null).body());
            assertTrue(get(a, "/health", "Bearer " + TOKEN).body().contains("problems"));
        }
    }

    @Test
    void onlyGetAndKnownPaths() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "")) {
            assertEquals(404, get(a, "/api/nothing", null).statusCode());
            assertEquals(404, get(a, "/static/../WebServer.class", null).statusCode());
            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port + "/api/stats"))
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            HttpResponse<String> page = get(a, "/", null);
            assertEquals(200, page.statusCode());
            assertTrue(page.headers()
                    .firstValue("content-security-policy")
                    .orElse("")
                    .contains("default-src 'self'"));
        }
    }

    /** Writes raw bytes, returns what the server answered before it closed (or the first line). */
    private static String raw(int port, byte[] request, boolean untilClose) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException closedEarly) {
                // the server may close before it has read everything: what it answered counts
            }
            InputStream in = s.getInputStream();
            byte[] all = untilClose ? in.readAllBytes() : in.readNBytes(12);
            return new String(all, StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aLargeBodyGets413AndLargeHeaders431() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "max-request: 16k\n")) {
            String body = "POST /api/stats HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n";
            assertTrue(
                    raw(a.port, body.getBytes(StandardCharsets.US_ASCII), true).startsWith("HTTP/1.1 413"));
            String headers = "GET /api/stats HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n";
            assertTrue(raw(a.port, headers.getBytes(StandardCharsets.US_ASCII), true)
                    .startsWith("HTTP/1.1 431"));
            // the server serves on
            assertEquals(200, get(a, "/api/stats", null).statusCode());
        }
    }

    @Test
    void aConnectionThatSendsNoWholeRequestInTimeIsClosed() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "request-timeout: 300ms\n")) {
            long start = System.nanoTime();
            try (Socket s = new Socket("127.0.0.1", a.port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /api/stats HTTP/1.1\r\nHost:".getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, s.getInputStream().read(), "closed without an answer");
            }
            assertTrue(System.nanoTime() - start < 5_000_000_000L);
            assertTrue(get(a, "/api/web", null).body().contains("\"timed-out\":1"));
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "max-connections: 4\n")) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) held.add(new Socket("127.0.0.1", a.port));
                // wait until the server has taken all four in
                for (int i = 0; i < 100 && !get4(a); i++) Thread.sleep(20);
                try (Socket extra = new Socket("127.0.0.1", a.port)) {
                    extra.setSoTimeout(10_000);
                    assertEquals(-1, extra.getInputStream().read(), "closed at once");
                }
            } finally {
                for (Socket s : held) s.close();
            }
            // once they are gone, there is room again
            HttpResponse<String> web = null;
            for (int i = 0; i < 100; i++) {
                try {
                    web = get(a, "/api/web", null);
                    break;
                } catch (IOException refusedWhileFull) {
                    Thread.sleep(20);
                }
            }
            assertTrue(web != null && web.body().contains("\"connections-refused\":"), String.valueOf(web));
        }
    }

    @Test
    void httpsWithTheTlsModulesCertificate() throws Exception {
        org.heptap.core.testing.TestPki pki =
                org.heptap.core.testing.TestPki.create(java.nio.file.Files.createDirectories(dir.resolve("pki")));
        String web = "request-timeout: 1s\ntls:\n  cert: " + pki.path("server.pem") + "\n  key: "
                + pki.path("server.key") + "\n";
        try (WebTestAgent a = WebTestAgent.start(dir, web)) {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = java.nio.file.Files.newInputStream(pki.path("ca.pem"))) {
                trust.setCertificateEntry(
                        "ca",
                        java.security.cert.CertificateFactory.getInstance("X.509")
                                .generateCertificate(in));
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> r = https.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + a.port + "/api/stats"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(AgentReports.json(AgentReports.stats(a.agent)), r.body());
            // plain HTTP on the HTTPS port gets no answer
            assertTrue(!raw(a.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), true)
                    .startsWith("HTTP/1.1 200"));
        }
    }

    private static boolean get4(WebTestAgent a) {
        return a.server.openConnections() >= 4;
    }
}
