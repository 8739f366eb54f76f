package org.heptap.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.heptap.core.testing.TestPki;

/**
 * A README command made runnable here, changed as little as it can be: the program from this
 * checkout, {@code homer.example.net} and {@code HOST} as 127.0.0.1 (commands run in a network
 * namespace of the test's own, so {@code 0.0.0.0} and the documented ports stay), {@code eth0}
 * and {@code DEV} as lo, certificates and keys under /etc/heptap as the test's, folders under
 * /var/lib/heptap and /run/heptap in a scratch folder, and each placeholder as a test value.
 */
final class ReadmeStandIns {
    /** What {@code -r FILE} replays: SIP of several methods and ports, 27 ms long (so {@code --speed real} is quick). */
    static final String CAPTURE = "sip-methods.pcap";

    static final String CAPTURE_ID = "4242";
    static final String PASSWORD = "readme-pass";
    static final String NODE_NAME = "readme-node";

    private static final Pattern PLACEHOLDER = Pattern.compile("[A-Z][A-Z0-9_]*(\\.[a-z]+)?(\\.\\.\\.)?");
    private static final List<String> SYSTEM_DIRS = List.of("/etc/heptap/", "/var/lib/heptap/", "/run/heptap/");

    private final TestPki pki;
    private final Path scratch;

    ReadmeStandIns(TestPki pki, Path scratch) {
        this.pki = pki;
        this.scratch = scratch;
    }

    /** The command's words with every stand-in made; an assertion error names what has none. */
    List<String> apply(List<String> words) {
        List<String> out = new ArrayList<>();
        out.add(program(words.get(0)));
        for (int i = 1; i < words.size(); i++) {
            String option = words.get(i - 1);
            String w = words.get(i)
                    .replace("homer.example.net", "127.0.0.1")
                    .replaceAll("(^|:)HOST(:|$)", "$1127.0.0.1$2")
                    .replaceAll(":PORT$", ":9060");
            if (w.equals("eth0")) w = "lo";
            if (PLACEHOLDER.matcher(w).matches() || SYSTEM_DIRS.stream().anyMatch(w::startsWith)) {
                out.addAll(valueOf(option, w));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    /** A file of the test's PKI, e.g. {@code ca.pem} (what the stand-in certificates are issued by). */
    Path pki(String name) {
        return pki.path(name);
    }

    /** bin/NAME or NAME (as installed on PATH) as this checkout's bin/NAME; anything else as written. */
    private static String program(String word) {
        String name = word.startsWith("bin/") ? word.substring(4) : word;
        Path p = Env.home().resolve("bin").resolve(name);
        return !name.contains("/") && Files.isExecutable(p) ? p.toString() : word;
    }

    private List<String> valueOf(String option, String word) {
        String value = switch (option) {
            case "--config" -> Env.home().resolve("conf/heptap.yaml").toString();
            case "-r", "--read-file" -> Env.corpus(CAPTURE).toString();
            case "--check-plan" -> null;
            case "-i" -> "lo";
            case "-p" -> "5060-5090";
            case "--speed" -> "10";
            case "--max-gap" -> "500ms";
            case "--loop" -> "1"; // one pass: the sink must get each message exactly once
            case "--capture-id" -> CAPTURE_ID;
            case "--password" -> PASSWORD;
            case "--node-name" -> NODE_NAME;
            case "--hin-cert" -> pki.path("server.pem").toString();
            case "--hin-key" -> pki.path("server.key").toString();
            case "--hin-client-ca", "--tls-ca" -> pki.path("ca.pem").toString();
            case "--tls-cert" -> pki.path("client.pem").toString();
            case "--tls-key" -> pki.path("client.key").toString();
            case "--buffer-dir", "--control", "--socket" -> scratchPath(word);
            case "pause", "resume", "show" -> "sip"; // heptapctl's SOCKET: the socket every test agent has
            case "log-level" -> "debug";
            default ->
                word.startsWith("/var/lib/heptap/") || word.startsWith("/run/heptap/") ? scratchPath(word) : word;
        };
        if (option.equals("--check-plan")) return stockPlans();
        if (value.equals(word))
            throw new AssertionError("no stand-in for " + word + " (after " + option + ") in ReadmeStandIns");
        return List.of(value);
    }

    private String scratchPath(String word) {
        String name = word.replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "-");
        return scratch.resolve(name).toString();
    }

    /** {@code PLAN.cfg...}: every plan conf/captureplans ships. */
    private static List<String> stockPlans() {
        try (Stream<Path> s = Files.list(Env.home().resolve("conf/captureplans"))) {
            return s.filter(p -> p.toString().endsWith(".cfg"))
                    .sorted()
                    .map(Path::toString)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test values a run's records must carry, by the option that set them (hep-sink's field names). */
    static Map<String, String> profileFields(List<String> command) {
        Map<String, String> fields = new java.util.TreeMap<>();
        if (command.contains("--capture-id")) fields.put("captureId", CAPTURE_ID);
        if (command.contains("--password")) fields.put("capturePass", PASSWORD);
        if (command.contains("--node-name")) fields.put("hepNodeName", NODE_NAME);
        return fields;
    }
}
