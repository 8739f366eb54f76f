package org.heptap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the built agent, the test corpus and the test tools (testdata/) are. */
final class Env {
    static final ObjectMapper JSON = new ObjectMapper();

    private Env() {}

    static Path home() {
        return Path.of(System.getProperty("heptap.home", "..")).toAbsolutePath().normalize();
    }

    /** The repository's test data (corpus, tools): {@code testdata/}. */
    static Path shared() {
        return Path.of(System.getProperty("heptap.testdata", home() + "/testdata"))
                .toAbsolutePath()
                .normalize();
    }

    static Path corpus(String name) {
        return shared().resolve("corpus").resolve(name);
    }

    static Path expected(String capture) {
        return shared().resolve("corpus/expected/" + capture + ".jsonl");
    }

    /** The sha256 of each SIP message's UDP payload in expected/CAPTURE.jsonl, in capture order. */
    static java.util.List<String> expectedPayloadShas(String capture) throws IOException {
        java.util.List<String> shas = new java.util.ArrayList<>();
        for (String l : Files.readAllLines(expected(capture))) {
            if (!l.isBlank())
                shas.add(JSON.readTree(l).get("udp_payload_sha256").asText());
        }
        return shas;
    }

    /** The payload sha256 of each record hep-sink wrote, in arrival order. */
    static java.util.List<String> payloadShas(java.util.List<JsonNode> hepSinkRecords) {
        java.util.List<String> s = new java.util.ArrayList<>();
        for (JsonNode n : hepSinkRecords) s.add(n.get("payloadSha256").asText());
        return s;
    }

    /**
     * The sha256 of each UDP payload tshark finds in a capture (matching the display filter), in
     * capture order: an expectation made without heptap, to compare with {@link #payloadShas}.
     */
    static java.util.List<String> tsharkUdpPayloadShas(Path pcap, String displayFilter) throws Exception {
        Proc t = Proc.run(
                java.time.Duration.ofSeconds(120),
                java.util.List.of(
                        "tshark", "-r", pcap.toString(), "-Y", displayFilter, "-T", "fields", "-e", "udp.payload"));
        if (t.exitCode() != 0) throw new AssertionError("tshark -r " + pcap + ": " + t.stderr());
        java.util.List<String> shas = new java.util.ArrayList<>();
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        for (String hex : t.stdout().split("\n")) {
            if (hex.isBlank()) continue;
            shas.add(java.util.HexFormat.of()
                    .formatHex(sha.digest(java.util.HexFormat.of().parseHex(hex.strip()))));
        }
        return shas;
    }

    static Path heptap() {
        return home().resolve("bin/heptap");
    }

    static Path tool(String name) {
        return shared().resolve("tools").resolve(name);
    }

    /** hep-sink installed by bin/test-all under target/. */
    static Path hepSink() {
        Path p = Path.of(System.getProperty("heptap.hepsink", home() + "/target/tools/hep-sink/hep-sink.js"));
        if (Files.exists(p.getParent().resolve("node_modules"))) return p;
        throw new IllegalStateException("hep-sink is not installed: run bin/test-all (it runs npm ci for it)");
    }

    static JsonNode manifestEntry(String file) {
        try {
            for (JsonNode c : JSON.readTree(corpus("MANIFEST.json").toFile()).get("captures")) {
                if (c.get("file").asText().equals(file)) return c;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no MANIFEST entry for " + file);
    }

    /**
     * Ports handed out in this JVM: a port is free only until someone binds it, so two calls
     * in a row (a relay port, then a sink port) could otherwise get the same one back.
     */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static int freeUdpPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (DatagramSocket s = new DatagramSocket(0)) {
                if (HANDED_OUT.add(s.getLocalPort())) return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no UDP port that was not handed out already");
    }

    /**
     * Writes {@code dir/heptap.yaml}: one capture socket "sip" on lo, ports 5061-5062 (the corpus
     * sipp captures), whose plan (written to {@code dir/plans/plan.cfg}) is {@code plan}, and the
     * {@code transports} section's profiles (indented by two spaces). Returns the YAML's path.
     */
    static Path oneSocketConfig(Path dir, String plan, String transports) throws IOException {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/plan.cfg"), plan);
        Path yaml = dir.resolve("heptap.yaml");
        Files.writeString(yaml, """
                agent:
                  capture-plans: plans
                sockets:
                  sip:
                    device: lo
                    port-range: 5061-5062
                    capture-plan: plan.cfg
                transports:
                """ + transports.stripIndent().indent(2));
        return yaml;
    }

    /**
     * Writes {@code dir/heptap.yaml}: one collector socket "relay" (HEP on a free loopback UDP
     * port, nothing captured live) sending to a hep transport on another free port, then {@code
     * more} (further top-level sections). Returns the YAML's path.
     */
    static Path relayConfig(Path dir, String more) throws IOException {
        Path yaml = dir.resolve("heptap.yaml");
        Files.writeString(
                yaml,
                """
                agent:
                  capture-plans: %s
                sockets:
                  relay:
                    type: collector
                    format: hep
                    listen: udp:127.0.0.1:%d
                    capture-plan: hep_relay_capture_plan.cfg
                transports:
                  hepsocket:
                    type: hep
                    host: 127.0.0.1
                    port: %d
                """.formatted(home().resolve("conf/captureplans"), freeUdpPort(), freeUdpPort()) + more.stripIndent());
        return yaml;
    }

    static int freeTcpPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (HANDED_OUT.add(s.getLocalPort())) return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no TCP port that was not handed out already");
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }
}
