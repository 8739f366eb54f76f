package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.heptap.core.testing.TestPki;
import org.heptap.e2e.ReadmeCommands.Command;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shell command README.md shows is run as written (with {@link ReadmeStandIns}), each in a
 * network namespace of its own so the documented addresses and ports are the test's, and must do
 * what the README says: a check says ok, a replay delivers the capture to hep-sink, a live agent
 * delivers sipp's calls, a relay passes on what other agents send it, an RTCP-XR collector
 * answers a phone's PUBLISH and sends its report. The commands are read from README.md on every
 * run, so one added later is run too; one this test cannot run must be in
 * {@link #COVERED_ELSEWHERE} with the test that covers it, or the test fails.
 */
class ReadmeCommandsIT {
    /** README commands (matched whole, as written) that another test or CI runs: pattern → Class#method or why. */
    private static final Map<Pattern, String> COVERED_ELSEWHERE = Map.of(
            // .ci/run runs bin/test-all, which runs every test (this one too): CI is its test
            Pattern.compile("bin/test-all"), "CI (.ci/run)",
            // watch streams until stopped, while calls run: the operations test drives it so
            Pattern.compile("(bin/)?heptapctl .*\\bwatch\\b.*"),
                    "OperationsIT#heptapctl_drives_a_live_agent_and_the_ledger_matches_hep_sink",
            // the ring's recipes need calls in a ring: the ring's test runs them against a replay's ring
            Pattern.compile("(bin/)?heptapctl (calls|pcap)\\b.*"),
                    "CallRingIT#the_readme_recipes_export_from_a_replays_ring",
            // the web API's examples: the web test asks a live agent the same questions
            Pattern.compile("curl (?!.*/api/calls).*"),
                    "WebIT#the_api_answers_as_heptapctl_does_and_health_follows_the_collector",
            // the calls examples need calls in a ring: the page's test runs them as written after sipp's calls
            Pattern.compile("curl .*/api/calls.*"),
                    "WebPageIT#the_call_list_search_ladder_and_pcap_download_of_sipp_calls");

    private static final Path SAMPLE = Env.home().resolve("conf/samples/sample-call.pcap");
    private static final AtomicInteger RUNS = new AtomicInteger();

    @TempDir
    static Path dir;

    private static ReadmeStandIns standIns;

    @BeforeAll
    static void pki() throws Exception {
        standIns = new ReadmeStandIns(
                TestPki.create(Files.createDirectories(dir.resolve("pki"))),
                Files.createDirectories(dir.resolve("scratch")));
    }

    @TestFactory
    Stream<DynamicTest> every_readme_command_runs_as_documented() throws Exception {
        List<Command> commands =
                ReadmeCommands.extract(Files.readAllLines(Env.home().resolve("README.md")));
        assertTrue(
                commands.stream().anyMatch(c -> c.text().startsWith("bin/quickstart")),
                "README.md shows no command: " + commands);
        List<DynamicTest> tests = new ArrayList<>();
        for (Command c : commands) {
            String mapped = coveredElsewhere(c.text());
            if (mapped != null) {
                tests.add(DynamicTest.dynamicTest(
                        "README.md:" + c.line() + ": " + c.text() + " → " + mapped, () -> assertCoverer(mapped)));
                continue;
            }
            List<List<String>> invocations = Synopsis.isSynopsis(c.text())
                    ? Synopsis.invocations(c.text())
                    : List.of(Arrays.asList(c.text().split(" ")));
            for (List<String> words : invocations) {
                String where = "README.md:" + c.line() + ": " + String.join(" ", words);
                tests.add(DynamicTest.dynamicTest(where, () -> {
                    try {
                        run(words);
                    } catch (AssertionError e) { // the console names dynamic tests by number only
                        throw new AssertionError(where + ": " + e.getMessage(), e);
                    }
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void commands_are_found_with_their_lines_continuations_and_alternatives() {
        List<String> md = List.of(
                "text heptap --not-code",
                "",
                "    bin/quickstart     # or: bin/quickstart eth0",
                "    INFO Agent: not a command",
                "```yaml",
                "heptap: not a command",
                "```",
                "```sh",
                "$ heptapctl stats --json",
                "heptap --hin tls:0.0.0.0:9061 \\",
                "       --hin-key k   # a comment",
                "```",
                "    heptap.yaml is no command",
                "    bench/replay.sh 20000");
        assertEquals(
                List.of(
                        new Command(3, "bin/quickstart"),
                        new Command(3, "bin/quickstart eth0"),
                        new Command(9, "heptapctl stats --json"),
                        new Command(10, "heptap --hin tls:0.0.0.0:9061 --hin-key k"),
                        new Command(14, "bench/replay.sh 20000")),
                ReadmeCommands.extract(md));
    }

    @Test
    void usage_lines_stand_for_each_alternative_with_and_without_the_optional_parts() {
        assertEquals(
                List.of(
                        List.of("h", "--config", "F", "-r", "P", "--speed", "max"),
                        List.of("h", "--config", "F", "-r", "P", "--speed", "real"),
                        List.of("h", "--config", "F", "-r", "P", "--speed", "X"),
                        List.of("h")),
                Synopsis.invocations("h [--config F] [-r P [--speed max|real|X]]"));
        assertEquals(
                List.of(
                        List.of("h", "-i", "D", "-p", "P"),
                        List.of("h", "-r", "F", "-p", "P"),
                        List.of("h", "-i", "D"),
                        List.of("h", "-r", "F")),
                Synopsis.invocations("h -i D|-r F [-p P]"));
        assertFalse(Synopsis.isSynopsis("heptap --hin udp:0.0.0.0:9060,tcp:0.0.0.0:9060 -H tcp:h:9061"));
    }

    @Test
    void a_command_neither_run_nor_mapped_fails() {
        AssertionError e = assertThrows(AssertionError.class, () -> run(List.of("systemctl", "reload", "heptap")));
        assertTrue(
                e.getMessage().contains("neither run by ReadmeCommandsIT nor in its COVERED_ELSEWHERE table"),
                e.getMessage());
    }

    private static String coveredElsewhere(String command) {
        for (Map.Entry<Pattern, String> e : COVERED_ELSEWHERE.entrySet()) {
            if (e.getKey().matcher(command).matches()) return e.getValue();
        }
        return null;
    }

    /** A table entry naming a test must name one that exists. */
    private static void assertCoverer(String mapped) throws Exception {
        if (!mapped.contains("#")) return;
        String[] m = mapped.split("#");
        Class<?> type = Class.forName(ReadmeCommandsIT.class.getPackageName() + "." + m[0]);
        assertTrue(
                Arrays.stream(type.getDeclaredMethods())
                        .anyMatch(x -> x.getName().equals(m[1])),
                mapped + " does not exist");
    }

    private static void run(List<String> words) throws Exception {
        List<String> cmd = standIns.apply(words);
        System.out.println("README command " + String.join(" ", words) + " runs as: " + String.join(" ", cmd));
        String program = Path.of(cmd.get(0)).getFileName().toString();
        switch (program) {
            case "quickstart" -> quickstart(cmd);
            case "heptap" -> heptap(cmd);
            case "heptapctl" -> heptapctl(cmd);
            default ->
                throw new AssertionError(
                        words.get(0) + " is neither run by ReadmeCommandsIT nor in its COVERED_ELSEWHERE table");
        }
    }

    private static void heptap(List<String> cmd) throws Exception {
        if (cmd.contains("--check") || cmd.contains("--check-plan")) check(cmd);
        else if (cmd.contains("--hin")) relay(cmd);
        else if (cmd.contains("--rtcpxr")) rtcpxrCollector(cmd);
        else if (cmd.contains("-r") || cmd.contains("--read-file")) replay(cmd);
        else live(cmd);
    }

    /** Says ok for the configuration and every plan, exit 0. */
    private static void check(List<String> cmd) throws Exception {
        Proc p = Proc.run(Duration.ofSeconds(60), cmd);
        assertEquals(0, p.exitCode(), p.stdout() + p.stderr());
        List<String> lines = p.stdout().lines().toList();
        assertFalse(lines.isEmpty(), "says nothing: " + p.stderr());
        lines.forEach(l -> assertTrue(l.matches(".+: ok( .*)?"), l));
    }

    /** The capture reaches every collector, each SIP message once, with the options' profile. */
    private static void replay(List<String> cmd) throws Exception {
        List<String> expected = sorted(Env.expectedPayloadShas(ReadmeStandIns.CAPTURE));
        try (NetNs ns = netNs();
                Sinks sinks = Sinks.start(ns, collectors(cmd))) {
            Proc p = Proc.run(Duration.ofSeconds(120), ns.command(cmd));
            assertEquals(0, p.exitCode(), p.stderr());
            for (HepSink sink : sinks.all) {
                List<JsonNode> got = sink.stopAndRead();
                assertEquals(
                        expected,
                        sorted(Env.payloadShas(got)),
                        "hep-sink on port " + sink.udpPort + "; log:\n" + p.stderr());
                assertProfile(cmd, got);
            }
        }
    }

    /** sipp's calls on lo reach the collector (which must be 127.0.0.1:9060, the shipped one). */
    private static void live(List<String> cmd) throws Exception {
        assertEquals(List.of("udp:127.0.0.1:9060"), collectors(cmd), "a live run sends to the shipped collector");
        assumeTrue(
                Env.onPath("sipp") && Env.onPath("tcpdump") && Env.onPath("tshark"),
                "sipp, tcpdump and tshark are installed by bin/test-all");
        ShippedConfigIT.LiveRun r = ShippedConfigIT.sipCallsReachTheSink(Files.createTempDirectory(dir, "live"), cmd);
        assertProfile(cmd, r.got());
    }

    /** A second heptap replays the capture to each listener; the relay passes every message on to its collectors. */
    private static void relay(List<String> cmd) throws Exception {
        List<String> listeners = values(cmd, "--hin");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) expected.addAll(Env.expectedPayloadShas(ReadmeStandIns.CAPTURE));
        try (NetNs ns = netNs();
                Sinks sinks = Sinks.start(ns, collectors(cmd));
                Proc relay = Proc.start(ns.command(cmd))) {
            LiveSippIT.waitFor(relay, "collector listening", Duration.ofSeconds(60));
            for (String l : listeners) {
                List<String> sender = new ArrayList<>(List.of(
                        Env.heptap().toString(),
                        "-r",
                        Env.corpus(ReadmeStandIns.CAPTURE).toString(),
                        "-m",
                        "sip",
                        "-H",
                        l.replace("0.0.0.0", "127.0.0.1")));
                if (l.startsWith("tls:"))
                    sender.addAll(List.of("--tls-ca", standIns.pki("ca.pem").toString()));
                if (l.startsWith("tls:") && cmd.contains("--hin-client-ca")) {
                    sender.addAll(List.of(
                            "--tls-cert",
                            standIns.pki("client.pem").toString(),
                            "--tls-key",
                            standIns.pki("client.key").toString()));
                }
                Proc s = Proc.run(Duration.ofSeconds(120), ns.command(sender));
                assertEquals(0, s.exitCode(), "sender to " + l + ": " + s.stderr());
            }
            for (HepSink sink : sinks.all) waitForRecords(sink, expected.size(), relay);
            relay.terminate(Duration.ofSeconds(20));
            assertEquals(0, LiveSippIT.exitOrZeroOnSignal(relay), relay.stderr());
            for (HepSink sink : sinks.all) {
                assertEquals(
                        sorted(expected),
                        sorted(Env.payloadShas(sink.stopAndRead())),
                        "relayed; log:\n" + relay.stderr());
            }
        }
    }

    /** sipp sends a vq-rtcpxr PUBLISH to each listener and gets 200 OK; the collector gets the PUBLISH (type 1) and its report (type 99). */
    private static void rtcpxrCollector(List<String> cmd) throws Exception {
        assumeTrue(Env.onPath("sipp"), "sipp is installed by bin/test-all");
        Path scenario = Env.home().resolve("packaging/src/test/resources/sipp/rtcpxr_publish_uac.xml");
        List<String> listeners = values(cmd, "--rtcpxr");
        try (NetNs ns = netNs();
                Sinks sinks = Sinks.start(ns, collectors(cmd));
                Proc agent = Proc.start(ns.command(cmd))) {
            LiveSippIT.waitFor(agent, "collector listening", Duration.ofSeconds(60));
            int phonePort = 15060;
            for (String l : listeners) {
                String[] a = l.split(":");
                List<String> sipp = new ArrayList<>(List.of(
                        "sipp",
                        "127.0.0.1:" + a[2],
                        "-sf",
                        scenario.toString(),
                        "-i",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(phonePort++),
                        "-m",
                        "1",
                        "-nostdin",
                        "-timeout",
                        "20s"));
                if (a[0].equals("tcp")) sipp.addAll(List.of("-t", "t1"));
                Proc p = Proc.run(Duration.ofSeconds(60), ns.command(sipp));
                assertEquals(
                        0,
                        p.exitCode(),
                        "sipp to " + l + " got no 200 OK: " + p.stdout() + p.stderr() + agent.stderr());
            }
            for (HepSink sink : sinks.all) {
                waitForRecords(sink, 2 * listeners.size(), agent);
                List<JsonNode> got = sink.read();
                for (int type : new int[] {1, 99}) {
                    long n = got.stream()
                            .filter(m -> m.get("payloadType").asInt() == type
                                    && m.path("correlation_id").asText().equals(RtcpXrCollectorIT.REPORT_CALL_ID))
                            .count();
                    assertEquals(listeners.size(), n, "HEP type " + type + " per PUBLISH: " + got);
                }
            }
            agent.terminate(Duration.ofSeconds(20));
            assertEquals(0, LiveSippIT.exitOrZeroOnSignal(agent), agent.stderr());
        }
    }

    /**
     * quickstart on a built checkout: no build (a mvn that fails is first on PATH), then the
     * sample replayed and printed and sent to 127.0.0.1:9060, or with an interface, a live
     * capture there that delivers sipp's calls.
     */
    private static void quickstart(List<String> cmd) throws Exception {
        Path fakeBin = Files.createDirectories(dir.resolve("no-mvn"));
        Path mvn = fakeBin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\necho \"quickstart ran mvn $*, on a checkout that is built\" >&2\nexit 97\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> noBuild = new ArrayList<>(List.of("env", "PATH=" + fakeBin + ":" + System.getenv("PATH")));
        noBuild.addAll(cmd);
        if (cmd.size() > 1) {
            assertEquals(List.of("lo"), cmd.subList(1, cmd.size()), "quickstart takes one interface");
            live(noBuild);
            return;
        }
        List<String> expected = new ArrayList<>();
        LiveSippIT.sipPayloadDigests(SAMPLE).forEach((sha, n) -> expected.addAll(Collections.nCopies(n, sha)));
        try (NetNs ns = netNs();
                HepSink sink = HepSink.startUdp(ns, 9060)) {
            Proc p = Proc.run(Duration.ofSeconds(180), ns.command(noBuild));
            assertEquals(0, p.exitCode(), p.stdout() + p.stderr());
            assertTrue(
                    p.stdout().contains("INVITE sip:bob@example.com SIP/2.0"), "prints what it sends: " + p.stdout());
            assertEquals(
                    sorted(expected),
                    sorted(Env.payloadShas(sink.stopAndRead())),
                    "the sample's SIP messages at 127.0.0.1:9060");
        }
    }

    /** Against a live agent of the test's ({@code --control} added when the README leaves it at the default): exit 0 and an answer. */
    private static void heptapctl(List<String> cmd) throws Exception {
        assertFalse(
                cmd.contains("watch"),
                "heptapctl watch runs until stopped: give it a runner here or a COVERED_ELSEWHERE entry");
        String sock = Stream.of("--control", "--socket")
                .map(o -> valueAfter(cmd, o))
                .filter(v -> v != null)
                .findFirst()
                .orElse(null);
        List<String> ctl = new ArrayList<>(cmd);
        if (sock == null) {
            sock = dir.resolve("scratch/ctl-" + RUNS.incrementAndGet() + ".sock")
                    .toString();
            ctl.addAll(List.of("--control", sock));
        }
        try (NetNs ns = netNs();
                Proc agent = Proc.start(ns.command(
                        List.of(Env.heptap().toString(), "-i", "lo", "-H", "udp:127.0.0.1:9060", "--control", sock)))) {
            LiveSippIT.waitFor(agent, "socket sip: interface", Duration.ofSeconds(60));
            Proc p = Proc.run(Duration.ofSeconds(30), ctl);
            assertEquals(0, p.exitCode(), p.stdout() + p.stderr());
            assertFalse(p.stdout().isBlank(), "no answer: " + p.stderr());
        }
    }

    /** HEP collectors of a command: its -H values, or the default (and shipped) udp:127.0.0.1:9060. */
    private static List<String> collectors(List<String> cmd) {
        List<String> h = values(cmd, "-H");
        return h.isEmpty() ? List.of("udp:127.0.0.1:9060") : h;
    }

    /** Every value of a repeatable, comma-separated option. */
    private static List<String> values(List<String> cmd, String option) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < cmd.size(); i++) {
            if (cmd.get(i).equals(option))
                out.addAll(Arrays.asList(cmd.get(i + 1).split(",")));
        }
        return out;
    }

    private static String valueAfter(List<String> cmd, String option) {
        int i = cmd.indexOf(option);
        return i >= 0 && i + 1 < cmd.size() ? cmd.get(i + 1) : null;
    }

    private static void assertProfile(List<String> cmd, List<JsonNode> got) {
        ReadmeStandIns.profileFields(cmd).forEach((field, value) -> {
            for (JsonNode m : got) assertEquals(value, m.path(field).asText(), field + " of " + m);
        });
    }

    private static void waitForRecords(HepSink sink, int n, Proc sender) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (sink.read().size() < n) {
            if (!sender.process.isAlive()) throw new AssertionError("exited: " + sender.stderr());
            if (System.nanoTime() > deadline)
                throw new AssertionError(
                        "hep-sink got " + sink.read().size() + " of " + n + "; log:\n" + sender.stderr());
            Thread.sleep(100);
        }
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        Collections.sort(s);
        return s;
    }

    private static NetNs netNs() throws Exception {
        NetNs ns = NetNs.createOrNull();
        assumeTrue(ns != null, "needs ip netns (root)");
        return ns;
    }

    /** One hep-sink per collector ({@code udp:} or {@code tcp:} on 127.0.0.1) inside a namespace. */
    private record Sinks(List<HepSink> all) implements AutoCloseable {
        static Sinks start(NetNs ns, List<String> collectors) throws Exception {
            Sinks s = new Sinks(new ArrayList<>());
            try {
                for (String c : collectors) {
                    String[] a = c.split(":");
                    assertTrue(
                            a.length == 3 && a[1].equals("127.0.0.1"), "a collector the test can stand in for: " + c);
                    int port = Integer.parseInt(a[2]);
                    s.all.add(
                            switch (a[0]) {
                                case "udp" -> HepSink.startUdp(ns, port);
                                case "tcp" -> HepSink.startTcp(ns, port);
                                default -> throw new AssertionError("no hep-sink for " + c);
                            });
                }
                return s;
            } catch (Exception | AssertionError e) {
                s.close();
                throw e;
            }
        }

        @Override
        public void close() {
            all.forEach(HepSink::close);
        }
    }
}
