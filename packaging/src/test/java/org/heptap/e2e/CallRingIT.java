package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * those {@code tshark -w} writes. tshark's file reader ({@code capinfos}, every export in one run)
 * and {@code sngrep -N -I} open every export.
 *
 * <p>tshark dissects each capture once; the selections are read off that dissection, and on one
 * call per capture checked against tshark's own display filter ({@code -Y FILTER -w}), so a suite
 * run starts a few tshark processes per capture rather than several per call.
 *
 * <p>Sockets: {@code sip} on 5060-5090 (UDP and TCP) and {@code media} on every unprivileged UDP
 * port (RTP and RTCP), so SIP frames reach the ring through both: each must be kept once.
 */
@Offline
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

    /**
     * What one tshark pass dissects of a frame, all a call's selection tests: the Call-IDs of its
     * SIP messages, its protocols, addresses, UDP ports and SDP (every occurrence, as tshark's
     * {@code ==} on a field matches any of them).
     */
    record Dissected(
            int number,
            Set<String> callIds,
            Set<String> protocols,
            Set<InetAddress> ipSrc,
            Set<InetAddress> ipDst,
            Set<InetAddress> ipv6Src,
            Set<InetAddress> ipv6Dst,
            Set<String> udpSrcPorts,
            Set<String> udpDstPorts,
            String sdpAddresses,
            String sdpPorts,
            String sdpAttributes) {}

    private static final String[] FIELDS = {
        "frame.number",
        "frame.protocols",
        "sip.Call-ID",
        "ip.src",
        "ip.dst",
        "ipv6.src",
        "ipv6.dst",
        "udp.srcport",
        "udp.dstport",
        "sdp.connection_info.address",
        "sdp.media.port",
        "sdp.media_attr"
    };

    /** Every frame of a capture as tshark dissects it, in one pass. */
    static List<Dissected> dissect(Path capture) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("-r", capture.toString(), "-T", "fields", "-E", "separator=|"));
        for (String f : FIELDS) cmd.addAll(List.of("-e", f));
        List<Dissected> frames = new ArrayList<>();
        for (String l : tshark(cmd.toArray(String[]::new)).stdout().lines().toList()) {
            String[] f = l.split("\\|", -1);
            frames.add(new Dissected(
                    Integer.parseInt(f[0]),
                    values(f[2]),
                    new HashSet<>(List.of(f[1].split(":"))),
                    addresses(f[3]),
                    addresses(f[4]),
                    addresses(f[5]),
                    addresses(f[6]),
                    values(f[7]),
                    values(f[8]),
                    f[9],
                    f[10],
                    f[11]));
        }
        return frames;
    }

    private static Set<String> values(String field) {
        Set<String> v = new LinkedHashSet<>();
        for (String s : field.split(",")) if (!s.isBlank()) v.add(s.strip());
        return v;
    }

    /** Addresses compared as tshark compares them (as addresses: an IPv6 literal has several spellings). */
    private static Set<InetAddress> addresses(String field) throws Exception {
        Set<InetAddress> a = new LinkedHashSet<>();
        for (String s : values(field)) a.add(literal(s));
        return a;
    }

    /** An IP literal (never a name lookup: anything else is no address of a frame). */
    static InetAddress literal(String s) throws Exception {
        if (!s.matches("[0-9A-Fa-f:.]+")) return null;
        return InetAddress.getByName(s);
    }

    /** The Call-IDs of a capture, in order of first appearance. */
    static List<String> callIds(List<Dissected> frames) {
        Set<String> ids = new LinkedHashSet<>();
        for (Dissected d : frames) ids.addAll(d.callIds());
        return new ArrayList<>(ids);
    }

    /** UDP to or from an address and port a call's SDP announced, from the frame that announced it on. */
    record MediaClause(int fromFrame, boolean v6, String address, int port) {
        String filter() {
            String ip = v6 ? "ipv6" : "ip";
            return "(frame.number >= " + fromFrame + " && udp && ((" + ip + ".src == " + address
                    + " && udp.srcport == " + port + ") || (" + ip + ".dst == " + address + " && udp.dstport == "
                    + port + ")))";
        }

        /** What tshark's {@link #filter} selects, on tshark's dissection of the frame. */
        boolean matches(Dissected d) throws Exception {
            if (d.number() < fromFrame || !d.protocols().contains("udp")) return false;
            InetAddress a = literal(address);
            String p = Integer.toString(port);
            return (v6 ? d.ipv6Src() : d.ipSrc()).contains(a) && d.udpSrcPorts().contains(p)
                    || (v6 ? d.ipv6Dst() : d.ipDst()).contains(a)
                            && d.udpDstPorts().contains(p);
        }
    }

    /**
     * A call's media: UDP to or from each address and port its SDP announced (RTP, and RTCP on
     * the a=rtcp port, the RTP port with rtcp-mux, else the next one), from the frame that
     * announced it on.
     */
    static List<MediaClause> media(List<Dissected> frames, String callId) {
        List<MediaClause> clauses = new ArrayList<>();
        for (Dissected d : frames) {
            if (!d.callIds().contains(callId) || !d.protocols().contains("sdp")) continue;
            String addr = d.sdpAddresses().split(",")[0];
            List<String> attrs = List.of(d.sdpAttributes().split(","));
            for (String p : d.sdpPorts().split(",")) {
                if (p.isBlank() || p.equals("0")) continue;
                int port = Integer.parseInt(p.strip());
                int rtcp = port + 1;
                if (attrs.contains("rtcp-mux")) rtcp = port;
                for (String a : attrs)
                    if (a.startsWith("rtcp:"))
                        rtcp = Integer.parseInt(a.substring(5).split(" ")[0]);
                for (int q : new LinkedHashSet<>(List.of(port, rtcp)))
                    clauses.add(new MediaClause(d.number(), addr.contains(":"), addr, q));
            }
        }
        return clauses;
    }

    /** tshark's display filter for a call's frames, with or without its media. */
    static String filter(List<Dissected> frames, String callId, boolean media) {
        String filter = "sip.Call-ID == \"" + callId + "\"";
        List<MediaClause> m = media ? media(frames, callId) : List.of();
        if (m.isEmpty()) return filter;
        return "(" + filter + ") || "
                + String.join(" || ", m.stream().map(MediaClause::filter).toList());
    }

    /** The numbers of the frames {@link #filter} selects, on the one dissection. */
    static List<Integer> selection(List<Dissected> frames, String callId, boolean media) throws Exception {
        List<MediaClause> m = media ? media(frames, callId) : List.of();
        List<Integer> numbers = new ArrayList<>();
        for (Dissected d : frames) {
            boolean in = d.callIds().contains(callId);
            for (int i = 0; !in && i < m.size(); i++) in = m.get(i).matches(d);
            if (in) numbers.add(d.number());
        }
        return numbers;
    }

    /** The records of a classic pcap file (everything after its 24-byte header). */
    static byte[] records(Path pcap) throws Exception {
        byte[] b = Files.readAllBytes(pcap);
        assertTrue(b.length >= 24, pcap + " is not a pcap file");
        return Arrays.copyOfRange(b, 24, b.length);
    }

    /** Each record (16-byte header and frame) of a classic pcap file, by frame number from 1. */
    static List<byte[]> recordList(Path pcap) throws Exception {
        byte[] b = records(pcap);
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> list = new ArrayList<>();
        for (int at = 0; at < b.length; ) {
            int end = at + 16 + in.getInt(at + 8);
            list.add(Arrays.copyOfRange(b, at, end));
            at = end;
        }
        return list;
    }

    /** The records of the selected frames, in the order tshark -w writes them (the capture's). */
    static byte[] concat(List<byte[]> records, List<Integer> numbers) {
        var out = new java.io.ByteArrayOutputStream();
        for (int n : numbers) out.writeBytes(records.get(n - 1));
        return out.toByteArray();
    }

    /** sngrep opens the export and finds {@code dialogs} dialogs. */
    static void sngrepOpens(Path export, int dialogs) throws Exception {
        Proc s = Proc.run(BOUND, List.of("sngrep", "-N", "-I", export.toString()));
        assertEquals(0, s.exitCode(), s.stderr());
        assertTrue(
                s.stdout().strip().endsWith("Dialog count: " + dialogs), "sngrep -N -I " + export + ": " + s.stdout());
    }

    /** tshark's file reader (capinfos, in one run for all) and sngrep open every export; frames as expected. */
    static void open(Map<Path, Integer> framesOfExport, int dialogsEach) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("capinfos", "-c", "-M", "-T", "-r"));
        framesOfExport.keySet().forEach(p -> cmd.add(p.toString()));
        Proc c = Proc.run(BOUND, cmd);
        assertEquals(0, c.exitCode(), cmd + ": " + c.stderr());
        Map<String, Integer> counted = new LinkedHashMap<>();
        for (String l : c.stdout().lines().toList()) {
            String[] f = l.split("\t");
            counted.put(f[0], Integer.parseInt(f[1].strip()));
        }
        Map<String, Integer> want = new LinkedHashMap<>();
        framesOfExport.forEach((p, n) -> want.put(p.toString(), n));
        assertEquals(want, counted, "capinfos: the frames of each export");
        for (Path p : framesOfExport.keySet()) sngrepOpens(p, dialogsEach);
    }

    /** tshark and sngrep open the export; sngrep finds {@code dialogs} dialogs. */
    static void opens(Path export, int dialogs) throws Exception {
        tshark("-r", export.toString());
        sngrepOpens(export, dialogs);
    }

    /** One export: a call with or without its media, and the file heptapctl wrote it to. */
    record Export(String callId, boolean media, Path file) {
        String what(Path capture) {
            return capture.getFileName() + " " + callId + (media ? " --media" : "");
        }
    }

    /**
     * Exports each call (with or without media), heptapctl clients running side by side as
     * operators' would, and returns the exports in the order asked.
     */
    static List<Export> exportAll(Path dir, Path socket, List<String> ids, boolean withMedia) throws Exception {
        List<Export> exports = new ArrayList<>();
        for (String id : ids) {
            String name = id.replaceAll("[^A-Za-z0-9]", "_");
            exports.add(new Export(id, false, dir.resolve(name + ".pcap")));
            if (withMedia) exports.add(new Export(id, true, dir.resolve(name + "-media.pcap")));
        }
        ExecutorService pool =
                Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<Proc>> runs = new ArrayList<>();
            for (Export e : exports) {
                List<String> args = new ArrayList<>(
                        List.of("pcap", "--call-id", e.callId(), "-o", e.file().toString()));
                if (e.media()) args.add("--media");
                runs.add(pool.submit(() -> heptapctl(socket, args.toArray(String[]::new))));
            }
            for (int i = 0; i < exports.size(); i++) {
                Proc p = runs.get(i).get();
                assertEquals(0, p.exitCode(), exports.get(i) + ": " + p.stdout() + p.stderr());
            }
        } finally {
            pool.shutdownNow();
        }
        return exports;
    }

    /**
     * Each export holds what tshark selects from the capture: the records of the frames its filter
     * matches (read from one {@code tshark -w} of the whole capture), byte for byte.
     */
    static void exportsMatch(Path dir, Path capture, List<Dissected> frames, List<Export> exports) throws Exception {
        Path all = dir.resolve("capture.tshark.pcap");
        tshark("-r", capture.toString(), "-F", "pcap", "-w", all.toString());
        List<byte[]> records = recordList(all);
        assertEquals(frames.size(), records.size(), "tshark -w writes every frame it dissected");
        Map<Path, Integer> framesOf = new LinkedHashMap<>();
        for (Export e : exports) {
            List<Integer> numbers = selection(frames, e.callId(), e.media());
            assertFalse(numbers.isEmpty(), e.what(capture) + ": tshark selects no frame");
            assertArrayEquals(
                    concat(records, numbers),
                    records(e.file()),
                    e.what(capture) + ": the export's frames and times are not tshark's selection ("
                            + filter(frames, e.callId(), e.media()) + ")");
            framesOf.put(e.file(), numbers.size());
        }
        open(framesOf, 1);
    }

    /**
     * The selection {@link #exportsMatch} reads off the one dissection is the one tshark's display
     * filter makes ({@code tshark -Y FILTER -w}): checked on a call, with and without its media.
     */
    static void selectionIsTsharks(Path dir, Path capture, List<Dissected> frames, String callId) throws Exception {
        List<byte[]> records = recordList(dir.resolve("capture.tshark.pcap"));
        for (boolean media : List.of(false, true)) {
            Path want = dir.resolve("filtered-" + media + ".pcap");
            String filter = filter(frames, callId, media);
            tshark("-r", capture.toString(), "-Y", filter, "-F", "pcap", "-w", want.toString());
            assertArrayEquals(
                    records(want),
                    concat(records, selection(frames, callId, media)),
                    capture.getFileName() + " " + callId + ": tshark -Y " + filter);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sip-udp-v4.pcap", "sip-tcp.pcap", "rtcp.pcap", "rtp-quality.pcap"})
    void every_call_exports_as_tshark_selects_it(String name, @TempDir Path dir) throws Exception {
        assumeTrue(
                Env.onPath("tshark") && Env.onPath("capinfos") && Env.onPath("sngrep"),
                "tshark (with capinfos) and sngrep are installed by bin/test-all");
        Path capture = Env.corpus(name);
        Path socket = dir.resolve("ctl.sock");
        Path yaml = config(dir, "size: 32MB\n");
        List<Dissected> frames = dissect(capture);
        List<String> ids = callIds(frames);
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
            // a capture with no UDP but SIP gives the same export with --media: once per call is enough
            boolean hasMedia = frames.stream()
                    .anyMatch(
                            d -> d.protocols().contains("udp") && !d.protocols().contains("sip"));
            List<Export> exports = exportAll(dir, socket, ids, hasMedia);
            exportsMatch(dir, capture, frames, exports);
            selectionIsTsharks(dir, capture, frames, ids.get(0));
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
