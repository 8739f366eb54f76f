package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The call ring (issue 13, acceptance 1): a corpus capture replayed with the ring on and
 * {@code --stay}; every call exported with {@code heptapctl pcap --call-id} holds exactly the
 * frames tshark selects from the original ({@code sip.Call-ID == "ID"}; with {@code --media}
 * also UDP to or from each address and port the call's SDP announced, from the frame that
 * announced it on), byte for byte with the same timestamps: the pcap records are compared with
 * those {@code tshark -w} writes. tshark and {@code sngrep -N -I} open every export.
 *
 * <p>Sockets: {@code sip} on 5060-5090 (UDP and TCP) and {@code media} on every unprivileged UDP
 * port (RTP and RTCP), so SIP frames reach the ring through both: each must be kept once.
 */
class CallRingIT {
    private static final Duration BOUND = Duration.ofSeconds(120);

    static Path config(Path dir, String ringSection) throws Exception {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/none.cfg"), "capture[pcap] {\n    drop;\n}\n");
        return Files.writeString(
                dir.resolve("heptap.yaml"), """
                agent:
                  capture-plans: plans
                sockets:
                  sip:
                    device: lo
                    port-range: 5060-5090
                    transport: all
                    capture-plan: none.cfg
                  media:
                    device: lo
                    port-range: 1024-65535
                    transport: udp
                    capture-plan: none.cfg
                modules:
                  ring:
                """ + ringSection.stripIndent().indent(4) + """
                transports:
                  out:
                    type: console
                    mode: never
                """);
    }

    /** A replay with the ring on, staying up for heptapctl; stopped by close(). */
    static Proc replayAndStay(Path yaml, Path capture, Path socket, Duration timeout) throws Exception {
        Proc agent = Proc.start(List.of(
                Env.heptap().toString(),
                "--config",
                yaml.toString(),
                "-r",
                capture.toString(),
                "--stay",
                "--control",
                socket.toString()));
        LiveSippIT.waitFor(agent, "staying up for heptapctl", timeout);
        return agent;
    }

    static Proc heptapctl(Path socket, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Env.home().resolve("bin/heptapctl").toString(), "--control", socket.toString(), "--timeout", "60"));
        cmd.addAll(Arrays.asList(args));
        return Proc.run(BOUND, cmd);
    }

    static Proc tshark(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark"));
        cmd.addAll(Arrays.asList(args));
        Proc t = Proc.run(BOUND, cmd);
        assertEquals(0, t.exitCode(), cmd + ": " + t.stderr());
        return t;
    }

    /** The Call-IDs of a capture, in order of first appearance. */
    static List<String> callIds(Path capture) throws Exception {
        Set<String> ids = new LinkedHashSet<>();
        for (String l : tshark("-r", capture.toString(), "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID")
                .stdout()
                .lines()
                .toList()) {
            for (String id : l.split(",")) if (!id.isBlank()) ids.add(id.strip());
        }
        return new ArrayList<>(ids);
    }

    /**
     * tshark's display filter for a call's media: UDP to or from each address and port its SDP
     * announced (RTP, and RTCP on the a=rtcp port, the RTP port with rtcp-mux, else the next one),
     * from the frame that announced it on.
     */
    static String mediaFilter(Path capture, String callId) throws Exception {
        List<String> clauses = new ArrayList<>();
        for (String l : tshark(
                        "-r",
                        capture.toString(),
                        "-Y",
                        "sip.Call-ID == \"" + callId + "\" && sdp",
                        "-T",
                        "fields",
                        "-E",
                        "separator=|",
                        "-e",
                        "frame.number",
                        "-e",
                        "sdp.connection_info.address",
                        "-e",
                        "sdp.media.port",
                        "-e",
                        "sdp.media_attr")
                .stdout()
                .lines()
                .toList()) {
            String[] f = l.split("\\|", -1);
            String frame = f[0];
            String addr = f[1].split(",")[0];
            String[] ports = f[2].split(",");
            List<String> attrs = List.of(f[3].split(","));
            String ip = addr.contains(":") ? "ipv6" : "ip";
            for (String p : ports) {
                if (p.isBlank() || p.equals("0")) continue;
                int port = Integer.parseInt(p.strip());
                int rtcp = port + 1;
                if (attrs.contains("rtcp-mux")) rtcp = port;
                for (String a : attrs)
                    if (a.startsWith("rtcp:"))
                        rtcp = Integer.parseInt(a.substring(5).split(" ")[0]);
                for (int q : new LinkedHashSet<>(List.of(port, rtcp))) {
                    clauses.add("(frame.number >= " + frame + " && udp && ((" + ip + ".src == " + addr
                            + " && udp.srcport == " + q + ") || (" + ip + ".dst == " + addr + " && udp.dstport == " + q
                            + ")))");
                }
            }
        }
        return String.join(" || ", clauses);
    }

    /** The records of a classic pcap file (everything after its 24-byte header). */
    static byte[] records(Path pcap) throws Exception {
        byte[] b = Files.readAllBytes(pcap);
        assertTrue(b.length >= 24, pcap + " is not a pcap file");
        return Arrays.copyOfRange(b, 24, b.length);
    }

    /** tshark and sngrep open the export; sngrep finds {@code dialogs} dialogs. */
    static void opens(Path export, int dialogs) throws Exception {
        tshark("-r", export.toString());
        Proc s = Proc.run(BOUND, List.of("sngrep", "-N", "-I", export.toString()));
        assertEquals(0, s.exitCode(), s.stderr());
        assertTrue(
                s.stdout().strip().endsWith("Dialog count: " + dialogs), "sngrep -N -I " + export + ": " + s.stdout());
    }

    /** Exports a call (with or without media) and compares it with what tshark selects from the capture. */
    static void exportMatches(Path dir, Path socket, Path capture, String callId, boolean media) throws Exception {
        String name = callId.replaceAll("[^A-Za-z0-9]", "_") + (media ? "-media" : "");
        Path got = dir.resolve(name + ".pcap");
        List<String> args = new ArrayList<>(List.of("pcap", "--call-id", callId, "-o", got.toString()));
        if (media) args.add("--media");
        Proc p = heptapctl(socket, args.toArray(String[]::new));
        assertEquals(0, p.exitCode(), p.stdout() + p.stderr());
        String filter = "sip.Call-ID == \"" + callId + "\"";
        if (media) {
            String m = mediaFilter(capture, callId);
            if (!m.isEmpty()) filter = "(" + filter + ") || " + m;
        }
        Path want = dir.resolve(name + ".expected.pcap");
        tshark("-r", capture.toString(), "-Y", filter, "-F", "pcap", "-w", want.toString());
        assertArrayEquals(
                records(want),
                records(got),
                capture.getFileName() + " " + callId + (media ? " --media" : "")
                        + ": the export's frames and times are not tshark's selection (" + filter + ")");
        assertTrue(records(got).length > 0, "an export with no frame");
        opens(got, 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sip-udp-v4.pcap", "sip-tcp.pcap", "rtcp.pcap", "rtp-quality.pcap"})
    void every_call_exports_as_tshark_selects_it(String name, @TempDir Path dir) throws Exception {
        assumeTrue(Env.onPath("tshark") && Env.onPath("sngrep"), "tshark and sngrep are installed by bin/test-all");
        Path capture = Env.corpus(name);
        Path socket = dir.resolve("ctl.sock");
        Path yaml = config(dir, "size: 32MB\n");
        List<String> ids = callIds(capture);
        assertFalse(ids.isEmpty());
        try (Proc agent = replayAndStay(yaml, capture, socket, BOUND)) {
            Proc calls = heptapctl(socket, "calls", "--recent", "--limit", "1000", "--json");
            assertEquals(0, calls.exitCode(), calls.stderr());
            Set<String> listed = new LinkedHashSet<>();
            Env.JSON
                    .readTree(calls.stdout())
                    .get("calls")
                    .forEach(c -> listed.add(c.get("call-id").asText()));
            assertEquals(Set.copyOf(ids), listed, "heptapctl calls lists every call of the capture");
            boolean hasMedia = !tshark(
                            "-r", capture.toString(), "-Y", "udp && !sip", "-T", "fields", "-e", "frame.number")
                    .stdout()
                    .isBlank();
            for (String id : ids) {
                exportMatches(dir, socket, capture, id, false);
                // a capture with no UDP but SIP gives the same export with --media: once per call is enough
                if (hasMedia) exportMatches(dir, socket, capture, id, true);
            }
            Proc stats = heptapctl(socket, "stats");
            assertTrue(stats.stdout().contains("module ring: "), stats.stdout());
            assertTrue(agent.process.isAlive(), "--stay keeps the agent up: " + agent.stderr());
        }
    }

    /** README "Call ring": the recipes, against the ring of a replay of rtp-quality.pcap. */
    @Test
    void the_readme_recipes_export_from_a_replays_ring(@TempDir Path dir) throws Exception {
        assumeTrue(Env.onPath("tshark") && Env.onPath("sngrep"), "tshark and sngrep are installed by bin/test-all");
        Path capture = Env.corpus("sip-udp-v4.pcap");
        Path socket = dir.resolve("ctl.sock");
        try (Proc agent = replayAndStay(config(dir, "size: 32MB\n"), capture, socket, BOUND)) {
            Proc calls = heptapctl(socket, "calls", "--recent");
            assertEquals(0, calls.exitCode(), calls.stderr());
            List<String> lines = calls.stdout().lines().toList();
            assertTrue(lines.get(0).startsWith("START"), calls.stdout());
            assertEquals(21, lines.size(), "a header and the 20 most recent calls: " + calls.stdout());
            assertTrue(
                    lines.get(1).contains("20-19720@127.0.0.1") && lines.get(1).contains("ended"), lines.get(1));
            Map<String, String> readme = new LinkedHashMap<>();
            readme.put("call", "pcap --call-id 1-19720@127.0.0.1 --media -o OUT");
            // the capture's calls are from 2026-11-24: "the last hour" of that capture is a fixed window
            readme.put("user", "pcap --user service --since 2026-11-24T18:00:00Z --media -o OUT");
            for (var e : readme.entrySet()) {
                Path out = dir.resolve(e.getKey() + ".pcap");
                Proc p = heptapctl(
                        socket, e.getValue().replace("OUT", out.toString()).split(" "));
                assertEquals(0, p.exitCode(), p.stdout() + p.stderr());
                opens(out, e.getKey().equals("call") ? 1 : 20);
            }
            Proc none = heptapctl(
                    socket,
                    "pcap",
                    "--user",
                    "nobody",
                    "-o",
                    dir.resolve("none.pcap").toString());
            assertEquals(1, none.exitCode());
            assertTrue(none.stderr().contains("no call of user nobody in the ring"), none.stderr());
            assertFalse(Files.exists(dir.resolve("none.pcap")), "no file for a refusal");
            assertTrue(agent.process.isAlive(), agent.stderr());
        }
    }
}
