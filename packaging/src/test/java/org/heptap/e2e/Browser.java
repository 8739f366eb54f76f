package org.heptap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Headless Chromium from Debian's packages, driven through chromedriver's W3C WebDriver HTTP API
 * with the JDK's HTTP client (no Selenium). One browser session; {@link #close()} ends it and
 * stops chromedriver (which stops the browser).
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Proc driver;
    private final String base;
    private final String session;

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** A browser with a 1280x720 window (a small laptop's screen) that saves downloads into {@code downloads}. */
    Browser(Path downloads) throws Exception {
        int port = Env.freeTcpPort();
        driver = Proc.start(List.of(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1"));
        base = "http://127.0.0.1:" + port;
        String id = null;
        try {
            Await.until(() -> status(), Duration.ofSeconds(30), "chromedriver to answer: " + driver.stderr());
            ObjectNode caps = Env.JSON.createObjectNode();
            ObjectNode chrome =
                    caps.putObject("capabilities").putObject("alwaysMatch").putObject("goog:chromeOptions");
            chrome.put("binary", CHROMIUM.toString());
            var args = chrome.putArray("args");
            for (String a : List.of(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--window-size=1280,720",
                    "--user-data-dir=" + Scratch.folder("heptap-chromium"))) args.add(a);
            ObjectNode prefs = chrome.putObject("prefs");
            prefs.put("download.default_directory", downloads.toString());
            prefs.put("download.prompt_for_download", false);
            JsonNode r = call("POST", "/session", caps);
            id = r.at("/value/sessionId").asText(null);
            if (id == null) throw new AssertionError("no browser session: " + r);
        } catch (Exception | AssertionError e) {
            driver.close();
            throw e;
        }
        session = "/session/" + id;
    }

    private boolean status() {
        try {
            return call("GET", "/status", null).at("/value/ready").asBoolean();
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        b.header("Content-Type", "application/json");
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Env.JSON.writeValueAsString(body)));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n = Env.JSON.readTree(r.body());
        if (r.statusCode() != 200) throw new IOException("webdriver " + method + " " + path + ": " + r.body());
        return n;
    }

    private JsonNode session(String method, String path, Map<String, ?> body) throws Exception {
        return call(method, session + path, body == null ? null : Env.JSON.valueToTree(body));
    }

    void open(String url) throws Exception {
        session("POST", "/url", Map.of("url", url));
    }

    /** Runs {@code script} (a function body; {@code arguments} are {@code args}) in the page and returns its value. */
    JsonNode script(String script, Object... args) throws Exception {
        return session("POST", "/execute/sync", Map.of("script", script, "args", List.of(args)))
                .get("value");
    }

    /** The element ids of what {@code css} selects now. */
    List<String> find(String css) throws Exception {
        JsonNode v = session("POST", "/elements", Map.of("using", "css selector", "value", css))
                .get("value");
        List<String> ids = new ArrayList<>();
        for (JsonNode e : v) ids.add(e.elements().next().asText());
        return ids;
    }

    String text(String element) throws Exception {
        return session("GET", "/element/" + element + "/text", null)
                .get("value")
                .asText();
    }

    void click(String element) throws Exception {
        session("POST", "/element/" + element + "/click", Map.of());
    }

    void type(String element, String text) throws Exception {
        session("POST", "/element/" + element + "/clear", Map.of());
        session("POST", "/element/" + element + "/value", Map.of("text", text));
    }

    /** The visible page as a PNG file. */
    void screenshot(Path png) throws Exception {
        String b64 = session("GET", "/screenshot", null).get("value").asText();
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(b64));
    }

    @Override
    public void close() {
        try {
            session("DELETE", "", null);
        } catch (Exception ignored) {
            // chromedriver stops the browser when it stops
        }
        driver.close();
    }
}
