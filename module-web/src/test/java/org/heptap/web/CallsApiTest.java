package org.heptap.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.heptap.core.spi.ActiveCalls;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.CallRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/calls}, {@code /api/calls/ID}, {@code /api/calls/ID/pcap} over HTTP, against a call source the test feeds. */
class CallsApiTest {
    private static final String TOKEN = "0123456789abcdef-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_764_770_400_000_000_000L; // 2025-12-03T14:00:00Z
    private static final byte[] PCAP = {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0};

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    /** Two calls: c1 from 1001 to 0611111111 (answered, 3 messages), c2 from 1002 to 0622222222. */
    static class FakeRing implements CallRecords.Source {
        final List<CallRecords.Call> calls = List.of(
                new CallRecords.Call(
                        "c2@host", "1002", "0622222222", "failed 486", T0 + 5_000_000_000L, T0 + 6_000_000_000L, 2),
                new CallRecords.Call("c1@host", "1001", "0611111111", "answered", T0, T0 + 2_500_000_000L, 3));
        CallRecords.Query lastQuery;

        @Override
        public List<CallRecords.Call> calls(CallRecords.Query q) {
            lastQuery = q;
            Predicate<CallRecords.Call> keep = c -> (q.text() == null
                            || c.callId().contains(q.text())
                            || c.from().contains(q.text())
                            || c.to().contains(q.text()))
                    && (q.callId() == null || c.callId().equals(q.callId()));
            return calls.stream().filter(keep).limit(q.limit()).toList();
        }

        @Override
        public List<CallRecords.Exchange> messages(String callId, int max) {
            if (!callId.equals("c1@host")) return null;
            return List.of(
                    new CallRecords.Exchange(
                            T0, "127.0.0.1:5061", "127.0.0.1:5060", "udp", "INVITE sip:0611111111@h SIP/2.0\r\n\r\n"),
                    new CallRecords.Exchange(
                            T0 + 1_000_000, "127.0.0.1:5060", "127.0.0.1:5061", "udp", "SIP/2.0 200 OK\r\n\r\n"),
                    new CallRecords.Exchange(
                            T0 + 2_000_000, "127.0.0.1:5061", "127.0.0.1:5060", "udp", "ACK sip:h SIP/2.0\r\n\r\n"));
        }

        @Override
        public boolean pcap(String callId, OutputStream out) throws IOException {
            if (!callId.equals("c1@host")) return false;
            out.write(PCAP);
            return true;
        }
    }

    private static ActiveCalls.Direction direction(double mos) {
        return new ActiveCalls.Direction("127.0.0.1:4000", "127.0.0.1:6000", 0x1234, "PCMU", 500, 5, 1.0, 2.5, mos);
    }

    private HttpResponse<String> get(WebTestAgent a, String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port + path))
                .timeout(Duration.ofSeconds(10));
        if (auth != null) b.header("Authorization", auth);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(WebTestAgent a, String path) throws Exception {
        return JSON.readTree(get(a, path, null).body());
    }

    private static AgentContext context(WebTestAgent a) {
        return a.agent.config().context();
    }

    @Test
    void theListHasEachCallWithItsPartiesStateTimesAndLiveQuality() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "")) {
            CallRecords.of(context(a)).offer(new FakeRing());
            ActiveCalls.of(context(a))
                    .addSource(() -> List.of(new ActiveCalls.Call("c1@host", List.of(direction(4.2)))));
            HttpResponse<String> r = get(a, "/api/calls", null);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode calls = JSON.readTree(r.body()).get("calls");
            assertEquals(2, calls.size());
            JsonNode c1 = calls.get(1);
            assertEquals("c1@host", c1.get("call-id").asText());
            assertEquals("1001", c1.get("from").asText());
            assertEquals("0611111111", c1.get("to").asText());
            assertEquals("answered", c1.get("state").asText());
            assertEquals("2025-12-03T14:00:00Z", c1.get("start").asText());
            assertEquals(2.5, c1.get("duration-seconds").asDouble());
            assertEquals(4.2, c1.at("/quality/0/mos").asDouble());
            assertEquals(2.5, c1.at("/quality/0/jitter_ms").asDouble());
            assertEquals(1.0, c1.at("/quality/0/loss_percent").asDouble());
            assertTrue(c1.at("/quality/0/live").asBoolean());
            assertEquals(0, calls.get(0).get("quality").size(), "c2 has no measured media");
        }
    }

    @Test
    void filtersReachTheSourceAndBadOnesAreRefusedWithAMessage() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "")) {
            FakeRing ring = new FakeRing();
            CallRecords.of(context(a)).offer(ring);
            JsonNode found = json(a, "/api/calls?q=0611&limit=5");
            assertEquals(1, found.get("calls").size());
            assertEquals("c1@host", found.at("/calls/0/call-id").asText());
            json(a, "/api/calls?number=1001&call-id=c1%40host&since=2025-12-03T14:00:00Z&until=1764770460");
            assertEquals("1001", ring.lastQuery.number());
            assertEquals("c1@host", ring.lastQuery.callId());
            assertEquals(T0, ring.lastQuery.sinceNanos());
            assertEquals(T0 + 60_000_000_000L, ring.lastQuery.untilNanos());
            assertEquals(CallsApi.DEFAULT_LIMIT, ring.lastQuery.limit());
            HttpResponse<String> bad = get(a, "/api/calls?since=yesterday", null);
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("since: 'yesterday' is not a time"), bad.body());
            assertEquals(400, get(a, "/api/calls?limit=0", null).statusCode());
            assertTrue(get(a, "/api/calls?user=1", null).body().contains("unknown parameter 'user'"));
        }
    }

    @Test
    void withoutARingTheListSaysHowToKeepCalls() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "")) {
            HttpResponse<String> r = get(a, "/api/calls", null);
            assertEquals(404, r.statusCode());
            assertTrue(r.body().contains("modules.ring.size"), r.body());
            assertEquals(404, get(a, "/api/calls/c1@host/pcap", null).statusCode());
        }
    }

    @Test
    void aCallHasItsMessagesInOrderAndItsQualityOverTime() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "rate-interval: 1s\n")) {
            CallRecords.of(context(a)).offer(new FakeRing());
            List<Double> mos = new ArrayList<>(List.of(4.3, 4.1));
            CountDownLatch sampled = new CountDownLatch(2);
            ActiveCalls.of(context(a)).addSource(() -> {
                if (mos.isEmpty()) return List.of();
                sampled.countDown();
                return List.of(new ActiveCalls.Call("c1@host", List.of(direction(mos.remove(0)))));
            });
            assertTrue(sampled.await(10, TimeUnit.SECONDS), "the web server samples the measured calls");
            JsonNode c = json(a, "/api/calls/c1%40host");
            assertTrue(c.get("ok").asBoolean(), c.toString());
            assertEquals("c1@host", c.at("/call/call-id").asText());
            JsonNode m = c.get("messages");
            assertEquals(3, m.size());
            assertEquals("127.0.0.1:5061", m.get(0).get("src").asText());
            assertEquals("127.0.0.1:5060", m.get(0).get("dst").asText());
            assertEquals("udp", m.get(0).get("transport").asText());
            assertTrue(m.get(1).get("text").asText().startsWith("SIP/2.0 200 OK"));
            assertEquals("2025-12-03T14:00:00.001Z", m.get(1).get("time").asText());
            JsonNode q = c.at("/call/quality/0");
            assertEquals(4.1, q.get("mos").asDouble(), "the last measurement");
            assertEquals(false, q.get("live").asBoolean(), "its media has ended");
            assertTrue(q.get("samples").size() >= 2, q.toString());
            assertEquals(4.3, q.at("/samples/0/mos").asDouble());
            HttpResponse<String> none = get(a, "/api/calls/nope", null);
            assertEquals(404, none.statusCode());
            assertTrue(none.body().contains("no call with Call-ID nope"), none.body());
        }
    }

    @Test
    void theCallsPcapIsADownload() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "")) {
            CallRecords.of(context(a)).offer(new FakeRing());
            HttpResponse<byte[]> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port + "/api/calls/c1%40host/pcap"))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertArrayEquals(PCAP, r.body());
            assertEquals(
                    "application/vnd.tcpdump.pcap",
                    r.headers().firstValue("content-type").orElse(""));
            assertEquals(
                    "attachment; filename=\"c1_host.pcap\"",
                    r.headers().firstValue("content-disposition").orElse(""));
            assertEquals(404, get(a, "/api/calls/c2@host/pcap", null).statusCode());
            assertEquals(404, get(a, "/api/calls/c1@host/other", null).statusCode());
        }
    }

    @Test
    void aPcapLargerThanTheBoundIsRefusedNotHeld() {
        CallRecords.Source big = new FakeRing() {
            @Override
            public boolean pcap(String callId, OutputStream out) throws IOException {
                byte[] block = new byte[1024];
                for (int i = 0; i < 100; i++) out.write(block);
                return true;
            }
        };
        AgentContext agent = new AgentContext(1, "n", false);
        CallRecords.of(agent).offer(big);
        Reply r = new CallsApi(() -> agent, new QualityHistory(), 10 * 1024).get("/api/calls/c1@host/pcap");
        assertEquals(507, r.status().code());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("heptapctl pcap"));
    }

    @Test
    void everyCallsPathNeedsTheSameSignIn() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "token: " + TOKEN + "\n")) {
            CallRecords.of(context(a)).offer(new FakeRing());
            for (String path :
                    List.of("/api/calls", "/api/calls?q=1001", "/api/calls/c1@host", "/api/calls/c1@host/pcap")) {
                assertEquals(401, get(a, path, null).statusCode(), path);
                assertEquals(401, get(a, path, "Bearer wrong-token-0123456789").statusCode(), path);
                assertEquals(200, get(a, path, "Bearer " + TOKEN).statusCode(), path);
            }
        }
    }

    @Test
    void aSlowCallSourceHoldsUpNeitherTheOtherPagesNorMoreThanItsQueue() throws Exception {
        try (WebTestAgent a = WebTestAgent.start(dir, "")) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch entered = new CountDownLatch(1);
            CallRecords.of(context(a)).offer(new FakeRing() {
                @Override
                public List<CallRecords.Call> calls(CallRecords.Query q) {
                    entered.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return super.calls(q);
                }
            });
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            try {
                waiting.add(async(a, "/api/calls"));
                assertTrue(entered.await(10, TimeUnit.SECONDS));
                // one answering, WORKER_QUEUE waiting: of WORKER_QUEUE + 4 more, 4 are turned away
                List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
                for (int i = 0; i < WebServer.WORKER_QUEUE + 4; i++) more.add(async(a, "/api/calls"));
                long busy = 0;
                for (int i = 0; i < 200 && busy < 4; i++) {
                    busy = more.stream()
                            .filter(f -> f.isDone() && f.join().statusCode() == 503)
                            .count();
                    if (busy < 4) Thread.sleep(50); // polls the futures: at most 10 s in all
                }
                assertEquals(4, busy, "a full queue answers 503");
                for (CompletableFuture<HttpResponse<String>> f : more) {
                    if (f.isDone() && f.join().statusCode() == 503)
                        assertTrue(f.join().body().contains("busy"));
                    else waiting.add(f);
                }
                assertEquals(200, get(a, "/api/stats", null).statusCode(), "other pages still answer");
            } finally {
                release.countDown();
            }
            for (CompletableFuture<HttpResponse<String>> f : waiting)
                assertEquals(200, f.get(30, TimeUnit.SECONDS).statusCode());
        }
    }

    private CompletableFuture<HttpResponse<String>> async(WebTestAgent a, String path) {
        return http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.port + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
