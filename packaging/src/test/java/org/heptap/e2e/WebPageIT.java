package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's page in a real browser (headless Chromium through chromedriver; issue 14,
 * acceptance 1): after sipp calls on lo it shows the agent healthy, its sockets, transports, loss
 * ledger and rate charts; its call list shows the calls, a search for a number filters them, a
 * call's view draws one ladder arrow per SIP message, and its "download pcap" saves a file tshark
 * reads as that call's frames. Screenshots go to {@code target/screenshots/}.
 */
class WebPageIT {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @SuppressWarnings("try") // sipp's UAS runs for the try block; it does not touch it
    @Test
    void the_status_page_shows_health_sockets_the_ledger_and_rate_charts(@TempDir Path dir) throws Exception {
        assumeTrue(Env.onPath("sipp"), "sipp is installed by bin/test-all");
        assumeTrue(Browser.installed(), "chromium and chromium-driver are installed by bin/test-all");
        int sinkPort = Env.freeTcpPort();
        try (HepSink sink = HepSink.startTcp(sinkPort);
                WebAgent a = WebAgent.start(dir, sinkPort, "rate-interval: 1s\n");
                Proc uas = a.startUas();
                Browser b = new Browser(Files.createDirectories(dir.resolve("downloads")))) {
            a.calls(10, "0611111111", 5);
            sink.awaitRecords(10 * 6, Duration.ofSeconds(30));
            b.open(a.url("/"));
            Await.until(
                    () -> b.find("#ledger tbody tr").size() >= 4
                            && b.find("#charts svg polyline").size() >= 4,
                    Duration.ofSeconds(30),
                    "the ledger and the charts to show");
            assertEquals("healthy", b.text(b.find("#health").get(0)));
            String sockets = b.text(b.find("#sockets").get(0));
            assertTrue(sockets.contains("sip") && sockets.contains("capturing") && sockets.contains("60"), sockets);
            String transports = b.text(b.find("#transports").get(0));
            assertTrue(transports.contains("tcp:127.0.0.1:" + sinkPort), transports);
            String ledger = b.text(b.find("#ledger").get(0));
            assertTrue(ledger.contains("transport sink") && !ledger.contains("DOES NOT BALANCE"), ledger);
            // the charts move: a sample with the calls' packets makes a rate above zero
            assertTrue(
                    b.script("return [...document.querySelectorAll('#charts .chart h3 span')]"
                                    + ".some(s => !s.textContent.startsWith('max 1.0/s'));")
                            .asBoolean(),
                    "a chart shows the calls' rate");
            b.screenshot(SCREENSHOTS.resolve("status.png"));
            assertTrue(Files.size(SCREENSHOTS.resolve("status.png")) > 10_000);
        }
    }

    static final String RING = """
            modules:
              ring:
                size: 16MB
                memory: 16MB
            """;

    @SuppressWarnings("try") // sipp's UAS runs for the try block; it does not touch it
    @Test
    void the_call_list_search_ladder_and_pcap_download_of_sipp_calls(@TempDir Path dir) throws Exception {
        assumeTrue(Env.onPath("sipp") && Env.onPath("tshark"), "sipp and tshark are installed by bin/test-all");
        assumeTrue(Browser.installed(), "chromium and chromium-driver are installed by bin/test-all");
        int sinkPort = Env.freeTcpPort();
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        try (HepSink sink = HepSink.startTcp(sinkPort);
                WebAgent a = WebAgent.start(dir, sinkPort, "", RING);
                Proc uas = a.startUas();
                Browser b = new Browser(downloads)) {
            a.calls(3, "0611111111", 10);
            a.calls(2, "0622222222", 10);
            Await.until(() -> ended(a) == 5, Duration.ofSeconds(30), "the API to list the 5 calls, ended");

            b.open(a.url("/#calls"));
            Await.until(
                    () -> b.find("#calls tbody tr").size() == 5, Duration.ofSeconds(30), "the list to show 5 calls");
            b.type(b.find("#q").get(0), "0622222222");
            b.click(b.find("#search button").get(0));
            Await.until(
                    () -> b.find("#calls tbody tr").size() == 2, Duration.ofSeconds(30), "the search to leave 2 calls");
            for (String row : b.find("#calls tbody tr")) {
                String text = b.text(row);
                assertTrue(text.contains("0622222222") && text.contains("ended"), text);
            }
            b.screenshot(SCREENSHOTS.resolve("calls.png"));

            String row = b.find("#calls tbody tr").get(0);
            String callId = b.script("return arguments[0].dataset.callId;", Map.of(ELEMENT, row))
                    .asText();
            JsonNode call =
                    Env.JSON.readTree(a.get("/api/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8), null)
                            .body());
            int messages = call.get("messages").size();
            assertTrue(messages >= 5, "INVITE, 180, 200, ACK, BYE, 200: " + call);
            b.click(row);
            Await.until(
                    () -> b.find("#ladder g.arrow").size() == messages,
                    Duration.ofSeconds(30),
                    "one ladder arrow per SIP message (" + messages + ")");
            assertEquals("INVITE", b.text(b.find("#ladder g.arrow text.label").get(0)));
            assertTrue(b.text(b.find("#ladder").get(0)).contains("127.0.0.1:" + a.uasPort));
            b.click(b.find("#ladder g.arrow").get(messages - 2));
            String shown = b.text(b.find("#message").get(0));
            assertTrue(shown.contains("BYE sip:") && shown.contains("Call-ID: " + callId), shown);
            b.screenshot(SCREENSHOTS.resolve("call.png"));
            assertTrue(Files.size(SCREENSHOTS.resolve("call.png")) > 10_000);

            b.click(b.find("#download").get(0));
            Path pcap = downloads.resolve(CallsFile.name(callId));
            Await.until(
                    () -> Files.exists(pcap) && !Files.exists(Path.of(pcap + ".crdownload")),
                    Duration.ofSeconds(30),
                    "the browser to save " + pcap.getFileName());
            // tshark reads the download as this call's frames: every SIP message is the call's, all of them
            List<String> ids = tshark(pcap, "sip", "sip.Call-ID");
            assertEquals(messages, ids.size(), "the pcap's SIP messages: " + ids);
            assertTrue(ids.stream().allMatch(callId::equals), ids.toString());

            runReadmeExamples(a, callId, dir);
        }
    }

    /**
     * A call with RTP both ways on the agent's quick sockets (SIP, RTP analysis, a ring): while the
     * media flows the call view shows both directions live with their MOS, and charts them over
     * time once the web server has sampled them (every rate-interval, 10 s).
     */
    @Test
    void a_calls_view_shows_each_media_directions_quality_over_time(@TempDir Path dir) throws Exception {
        assumeTrue(Browser.installed(), "chromium and chromium-driver are installed by bin/test-all");
        InetAddress v6 = InetAddress.getByName("::1");
        String callId = "web-rtp-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "@heptap.test";
        int sipUac = Env.freeUdpPort();
        int sipUas = Env.freeUdpPort();
        int rtpUac = Env.freeUdpPort();
        int rtpUas = Env.freeUdpPort();
        int web = Env.freeTcpPort();
        try (HepSink sink = HepSink.startUdp();
                Proc agent = LiveRtpIT.quickAgent(sipUas, sink, "--web", "127.0.0.1:" + web, "--ring", "16MB");
                DatagramSocket uac = new DatagramSocket(new InetSocketAddress(v6, sipUac));
                DatagramSocket uas = new DatagramSocket(new InetSocketAddress(v6, sipUas));
                DatagramSocket mediaA = new DatagramSocket(new InetSocketAddress(v6, rtpUac));
                DatagramSocket mediaB = new DatagramSocket(new InetSocketAddress(v6, rtpUas));
                Browser b = new Browser(Files.createDirectories(dir.resolve("downloads")))) {
            LiveSippIT.waitFor(agent, "socket rtp: interface lo", Duration.ofSeconds(60));
            LiveSippIT.waitFor(agent, "web: http", Duration.ofSeconds(10));
            LiveRtpIT.send(
                    uac,
                    v6,
                    sipUas,
                    LiveRtpIT.sip(callId, "INVITE sip:bob@[::1]:" + sipUas + " SIP/2.0", sipUac, rtpUac));
            LiveRtpIT.send(uas, v6, sipUac, LiveRtpIT.sip(callId, "SIP/2.0 200 OK", sipUac, rtpUas));
            b.open("http://127.0.0.1:" + web + "/#call/" + URLEncoder.encode(callId, StandardCharsets.UTF_8));
            // 20 ms packets both ways, as a phone sends them, until the page charts both directions
            // (a sample comes every 10 s): at most 40 s of media
            boolean charted = false;
            for (int seq = 0; seq < 2000 && !charted; seq++) {
                LiveRtpIT.send(mediaA, v6, rtpUas, LiveRtpIT.rtp(seq, 0x0A0A0A0AL));
                LiveRtpIT.send(mediaB, v6, rtpUac, LiveRtpIT.rtp(seq, 0x0B0B0B0BL));
                if (seq % 50 == 49)
                    charted = b.find("#quality-charts svg polyline").size() >= 6;
                Thread.sleep(20); // the media's pace, not a wait for an event
            }
            assertTrue(charted, "the call view charts both directions; agent log:\n" + agent.stderr());
            List<String> rows = b.find("#quality tbody tr");
            assertEquals(2, rows.size());
            for (String row : rows) {
                String text = b.text(row);
                assertTrue(
                        text.contains("PCMU") && text.contains("live") && text.contains(String.valueOf(rtpUac)), text);
            }
            b.screenshot(SCREENSHOTS.resolve("call-quality.png"));
            JsonNode call =
                    Env.JSON.readTree(get(web, "/api/calls/" + URLEncoder.encode(callId, StandardCharsets.UTF_8)));
            JsonNode quality = call.at("/call/quality");
            assertEquals(2, quality.size(), call.toString());
            for (JsonNode q : quality) {
                assertTrue(q.get("samples").size() >= 1, q.toString());
                assertTrue(q.get("mos").asDouble() >= 1 && q.get("mos").asDouble() <= 4.5, q.toString());
                assertEquals(0, q.get("lost").asInt(), q.toString());
            }
            JsonNode listed = Env.JSON.readTree(
                    get(web, "/api/calls?call-id=" + URLEncoder.encode(callId, StandardCharsets.UTF_8)));
            assertEquals(2, listed.at("/calls/0/quality").size(), listed.toString());
        }
    }

    private static String get(int port, String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The calls the API lists as ended. */
    private static long ended(WebAgent a) throws Exception {
        JsonNode calls = Env.JSON.readTree(a.get("/api/calls", null).body()).path("calls");
        int n = 0;
        for (JsonNode c : calls) if (c.path("state").asText().equals("ended")) n++;
        return n;
    }

    /** The W3C WebDriver key of an element reference passed to a script. */
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private static List<String> tshark(Path pcap, String filter, String field) throws Exception {
        Proc t = Proc.run(
                Duration.ofSeconds(60),
                List.of("tshark", "-r", pcap.toString(), "-Y", filter, "-T", "fields", "-e", field));
        if (t.exitCode() != 0) throw new AssertionError("tshark -r " + pcap + ": " + t.stderr());
        return t.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /** README's /api/calls examples, run as written against this agent (its address for 127.0.0.1:8090). */
    private static void runReadmeExamples(WebAgent a, String callId, Path dir) throws Exception {
        List<String> examples = ReadmeCommands.extract(
                        Files.readAllLines(Env.home().resolve("README.md")))
                .stream()
                .map(ReadmeCommands.Command::text)
                .filter(c -> c.startsWith("curl ") && c.contains("/api/calls"))
                .toList();
        assertEquals(3, examples.size(), "README's /api/calls examples: " + examples);
        for (String example : examples) {
            String cmd = example.replace("http://127.0.0.1:8090", a.url(""));
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("CALL_ID", callId);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), example + ": " + out);
            if (example.contains("/pcap")) assertTrue(out.contains("BYE"), example + ": " + out);
            else if (example.contains("$CALL_ID"))
                assertTrue(out.contains("\"call-id\":\"" + callId + "\""), example + ": " + out);
            else assertTrue(out.startsWith("{\"ok\":true") && out.contains("\"calls\":["), example + ": " + out);
        }
    }

    /** The download's file name, as the page makes it from the Call-ID. */
    static final class CallsFile {
        static String name(String callId) {
            return callId.replaceAll("[^A-Za-z0-9._-]", "_") + ".pcap";
        }
    }
}
