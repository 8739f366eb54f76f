package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pcap transport against the running agent: live sipp calls into rotating gzip files that
 * hold exactly what tcpdump saw, with retention deleting the oldest; HEP relayed into a pcap
 * profile keeps the original addresses, ports, times and payloads; a disk that fills up costs
 * the files, never the capture.
 *
 * <p>The live run's length and rotation are parameters ({@code -Dpcap.it.seconds=120
 * -Dpcap.it.rotate=30s} is the acceptance's two minutes at 30 s); the default is short.
 */
class PcapFilesIT {
    /** Fields that identify a frame byte for byte as far as SIP over UDP goes, and its capture time. */
    private static final List<String> FRAME_FIELDS = List.of(
            "frame.time_epoch",
            "frame.len",
            "eth.src",
            "eth.dst",
            "ip.src",
            "ip.dst",
            "ip.id",
            "ip.checksum",
            "udp.srcport",
            "udp.dstport",
            "udp.checksum",
            "udp.payload");

    @TempDir
    Path dir;

    /** One line per frame of {@code pcap} (gzip too): {@code fields}, tab-separated; fails when tshark cannot read it. */
    static List<String> tshark(Path pcap, List<String> fields, String... filter) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        if (filter.length > 0) cmd.addAll(List.of("-Y", filter[0]));
        cmd.addAll(List.of("-T", "fields"));
        for (String f : fields) cmd.addAll(List.of("-e", f));
        Proc t = Proc.run(Duration.ofSeconds(120), cmd);
        assertEquals(0, t.exitCode(), "tshark -r " + pcap + ": " + t.stderr());
        assertFalse(t.stderr().contains("cut short") || t.stderr().contains("corrupt"), pcap + ": " + t.stderr());
        return t.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    private List<Path> files(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    /** The counters the agent's final log line gives for one transport. */
    static TreeMap<String, Long> transportCounters(String log, String transport) {
        Matcher m = Pattern.compile("transport " + Pattern.quote(transport) + ": (.*)")
                .matcher(log);
        String last = null;
        while (m.find()) last = m.group(1);
        assertTrue(last != null, "no counters of transport " + transport + " in the log:\n" + log);
        TreeMap<String, Long> c = new TreeMap<>();
        for (String part : last.split(", ")) {
            int space = part.lastIndexOf(' ');
            c.put(
                    part.substring(0, space),
                    Long.parseLong(part.substring(space + 1).trim()));
        }
        return c;
    }

    /**
     * The frames are the same, in order; on a difference, says where (the lists are long). The
     * capture times may differ by a few microseconds: tcpdump's handle and the agent's each have
     * the kernel stamp the packet for them.
     */
    private static void assertSameFrames(List<String> want, List<String> got) {
        int i = 0;
        while (i < want.size() && i < got.size() && sameFrame(want.get(i), got.get(i))) i++;
        if (i == want.size() && i == got.size()) return;
        throw new AssertionError("the frames across the files differ from the " + want.size() + " tcpdump captured ("
                + got.size() + " in the files) from frame " + (i + 1) + ":\n tcpdump: "
                + (i < want.size() ? cut(want.get(i)) : "(none)") + "\n files:   "
                + (i < got.size() ? cut(got.get(i)) : "(none)"));
    }

    private static boolean sameFrame(String a, String b) {
        int ta = a.indexOf('\t');
        int tb = b.indexOf('\t');
        if (ta < 0 || tb < 0 || !a.substring(ta).equals(b.substring(tb))) return false;
        double apart = Math.abs(Double.parseDouble(a.substring(0, ta)) - Double.parseDouble(b.substring(0, tb)));
        return apart < 0.001;
    }

    /** A file name's start time ({@code YYYYMMDD-HHMMSS}, UTC) in seconds. */
    private static long startSeconds(String stamp) {
        return java.time.LocalDateTime.parse(stamp, java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                .toEpochSecond(java.time.ZoneOffset.UTC);
    }

    private static String cut(String frame) {
        return frame.length() > 200 ? frame.substring(0, 200) + "..." : frame;
    }

    @Test
    void live_calls_rotate_into_gzip_files_holding_what_tcpdump_saw_and_retention_removes_the_oldest()
            throws Exception {
        assumeTrue(
                Env.onPath("sipp") && Env.onPath("tcpdump") && Env.onPath("tshark"),
                "sipp, tcpdump and tshark are installed by bin/test-all");
        int seconds = Integer.getInteger("pcap.it.seconds", 14);
        Duration rotate = Duration.ofMillis(Math.round(
                Double.parseDouble(System.getProperty("pcap.it.rotate", "3s").replace("s", "")) * 1000));
        long rotateSeconds = rotate.toSeconds();
        int rate = 5; // calls a second
        int calls = rate * seconds;
        Path all = Files.createDirectories(dir.resolve("all"));
        Path kept = Files.createDirectories(dir.resolve("kept"));
        Path plans = Files.createDirectories(dir.resolve("plans"));
        Files.writeString(plans.resolve("plan.cfg"), """
                capture[pcap] {
                    send_pcap("all");
                    send_pcap("kept");
                    drop;
                }
                """);
        Path yaml = Files.writeString(
                dir.resolve("heptap.yaml"), """
                agent:
                  node-name: it
                  capture-plans: plans
                sockets:
                  sip:
                    device: lo
                    port-range: 5080-5081
                    capture-plan: plan.cfg
                transports:
                  all:
                    type: pcap
                    directory: %s
                    rotate-interval: %ds
                    gzip: true
                  kept:
                    type: pcap
                    directory: %s
                    rotate-interval: %ds
                    max-age: %ds
                """.formatted(all, rotateSeconds, kept, rotateSeconds, 2 * rotateSeconds));
        Path lo = dir.resolve("tcpdump.pcap");
        String agentLog;
        NetNs ns = NetNs.createOrNull();
        assumeTrue(ns != null, "needs a network namespace of its own (root), so lo carries only this test's calls");
        try (ns;
                Proc tcpdump = Proc.start(ns.command(LiveSippIT.tcpdumpLo(lo, "udp and (port 5080 or port 5081)")));
                Proc agent = Proc.start(ns.command(List.of(Env.heptap().toString(), "--config", yaml.toString())))) {
            LiveSippIT.waitFor(tcpdump, "listening on", Duration.ofSeconds(20));
            LiveSippIT.waitFor(agent, "socket sip: interface lo", Duration.ofSeconds(60));
            try (Proc uas = Proc.start(
                    ns.command(List.of("sipp", "-sn", "uas", "-i", "127.0.0.1", "-p", "5080", "-nostdin")))) {
                HepSink.waitListening(5080, uas, "-Hlun", ns::command);
                Proc uac = Proc.run(
                        Duration.ofSeconds(seconds + 120L),
                        ns.command(LiveSippIT.sippUac(5080, 5081, calls, rate, seconds + 60)));
                assertEquals(0, uac.exitCode(), "sipp uac: " + uac.stdout() + uac.stderr());
            }
            // tcpdump has written every message (6 per call) once tshark finds them in its file
            Await.until(
                    () -> LiveSippIT.sipMessagesIn(
                                    lo,
                                    p -> tshark(p, List.of("frame.number"), "sip")
                                            .size())
                            >= calls * 6,
                    Duration.ofSeconds(30),
                    calls * 6 + " SIP messages in tcpdump's " + lo);
            // the agent drains its queue and closes its files on SIGTERM
            agent.terminate(Duration.ofSeconds(30));
            tcpdump.terminate(Duration.ofSeconds(10));
            agentLog = agent.stderr();
            assertEquals(0, LiveSippIT.exitOrZeroOnSignal(agent), agentLog);
        }

        List<String> want = tshark(lo, FRAME_FIELDS);
        assertEquals(calls * 6, want.size(), "tcpdump saw 6 SIP messages per call");
        List<Path> allFiles = files(all);
        assertTrue(allFiles.size() >= 4, "at least four files in " + seconds + " s at " + rotate + ": " + allFiles);
        List<String> got = new ArrayList<>();
        for (Path f : allFiles) {
            assertTrue(f.getFileName().toString().matches("it-all-\\d{8}-\\d{6}\\.pcap\\.gz"), f.toString());
            List<String> frames = tshark(f, FRAME_FIELDS);
            assertFalse(frames.isEmpty(), "tshark reads " + f);
            got.addAll(frames);
        }
        assertSameFrames(want, got);
        TreeMap<String, Long> c = transportCounters(agentLog, "all");
        assertEquals(want.size(), c.get("sent"), c.toString());
        assertEquals(0, c.get("write-failed") + c.get("dropped"), c.toString());

        // retention (max-age two rotations) deleted the oldest of the same files in kept/
        List<String> keptStarts = files(kept).stream()
                .map(p -> p.getFileName().toString().replace("it-kept-", "").replace(".pcap", ""))
                .toList();
        List<String> allStarts = allFiles.stream()
                .map(p -> p.getFileName().toString().replace("it-all-", "").replace(".pcap.gz", ""))
                .toList();
        assertFalse(keptStarts.isEmpty(), "the newest files stay");
        assertTrue(keptStarts.size() < allStarts.size(), "retention deleted some: " + keptStarts + " of " + allStarts);
        // the two profiles rotate on their own clocks: a kept/ file may start a second after its all/ twin
        List<String> newest = allStarts.subList(allStarts.size() - keptStarts.size(), allStarts.size());
        for (int i = 0; i < keptStarts.size(); i++) {
            long apart = Math.abs(startSeconds(keptStarts.get(i)) - startSeconds(newest.get(i)));
            assertTrue(
                    apart <= 2,
                    "what is left are the newest files, the oldest went first: " + keptStarts + " are not the last of "
                            + allStarts);
        }
        TreeMap<String, Long> k = transportCounters(agentLog, "kept");
        assertEquals(k.get("files") - keptStarts.size(), k.get("files-deleted"), k.toString());
        System.out.printf(
                "pcap live: %d s, rotation %s: %d files, %d frames = tcpdump's %d; kept/ %d files, %d deleted%n",
                seconds, rotate, allFiles.size(), got.size(), want.size(), keptStarts.size(), k.get("files-deleted"));
    }

    @Test
    void hep_relayed_into_a_pcap_profile_opens_with_the_original_addresses_ports_times_and_payloads() throws Exception {
        assumeTrue(Env.onPath("tshark"), "tshark is installed by bin/test-all");
        List<byte[]> hep = RelayIT.hepPcapDatagrams();
        int relayPort = Env.freeUdpPort();
        Path out = Files.createDirectories(dir.resolve("relay"));
        List<JsonNode> decoded;
        String relayLog;
        try (HepSink direct = HepSink.startUdp();
                HepSink forwarded = HepSink.startUdp();
                Proc relay = Proc.start(List.of(
                        Env.heptap().toString(),
                        "--hin",
                        "udp:127.0.0.1:" + relayPort,
                        "-H",
                        "udp:127.0.0.1:" + forwarded.udpPort,
                        "--node-name",
                        "relay1",
                        "-w",
                        out.toString()))) {
            LiveSippIT.waitFor(relay, "socket hin: collector listening", Duration.ofSeconds(60));
            try (DatagramSocket s = new DatagramSocket()) {
                for (byte[] d : hep) {
                    // hep-sink decodes each HEP packet on its own: the expectation made without heptap
                    s.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), direct.udpPort));
                    s.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), relayPort));
                }
            }
            forwarded.awaitRecords(hep.size(), Duration.ofSeconds(30));
            decoded = direct.stopAndRead();
            relay.terminate(Duration.ofSeconds(20));
            relayLog = relay.stderr();
            assertEquals(0, LiveSippIT.exitOrZeroOnSignal(relay), relayLog);
        }
        assertEquals(hep.size(), decoded.size());
        List<String> want = new ArrayList<>();
        for (JsonNode m : decoded) {
            String proto = m.get("protocol").asInt() == 6 ? "tcp" : "udp";
            want.add(String.join(
                    "\t",
                    m.get("srcIp").asText(),
                    m.get("dstIp").asText(),
                    proto,
                    m.get("srcPort").asText(),
                    m.get("dstPort").asText(),
                    m.get("timeSeconds").asText() + "."
                            + "%06d".formatted(m.get("timeUseconds").asLong()),
                    m.get("payloadSha256").asText()));
        }
        List<Path> files = files(out);
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().startsWith("relay1-pcapfile-"), files.toString());
        List<String> got = new ArrayList<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<String> fields = List.of(
                "ip.src",
                "ip.dst",
                "udp.srcport",
                "udp.dstport",
                "tcp.srcport",
                "tcp.dstport",
                "frame.time_epoch",
                "udp.payload",
                "tcp.payload",
                "udp.checksum.status",
                "ip.checksum.status");
        for (String line : tshark(files.get(0), fields)) {
            String[] f = (line + "\t\t\t\t\t\t\t\t\t\t\t").split("\t", -1);
            boolean tcp = !f[4].isEmpty();
            String payloadHex = (tcp ? f[8] : f[7]).replace(":", "");
            got.add(String.join(
                    "\t",
                    f[0],
                    f[1],
                    tcp ? "tcp" : "udp",
                    tcp ? f[4] : f[2],
                    tcp ? f[5] : f[3],
                    f[6].substring(0, f[6].indexOf('.') + 7), // µs: what HEP carries
                    HexFormat.of().formatHex(sha.digest(HexFormat.of().parseHex(payloadHex)))));
        }
        assertEquals(want, got, "addresses, ports, times and payloads as the HEP packets carried them");
        List<String> callIds = tshark(files.get(0), List.of("sip.Call-ID"), "sip");
        assertEquals(
                Env.manifestEntry("hep.pcap").get("hep").get("sip_payloads").asInt(),
                callIds.size(),
                "tshark dissects each SIP payload as SIP");
    }

    @Test
    void a_full_disk_is_counted_and_logged_and_capture_goes_on() throws Exception {
        Proc probe = Proc.run(Duration.ofSeconds(10), List.of("unshare", "-m", "true"));
        assumeTrue(probe.exitCode() == 0, "needs unshare -m (root) for a small tmpfs: " + probe.stderr());
        assumeTrue(Env.onPath("tshark"), "tshark is installed by bin/test-all");
        String capture = "sip-udp-v4.pcap";
        Path small = Files.createDirectories(dir.resolve("small"));
        Path report = dir.resolve("files.txt");
        List<JsonNode> got;
        Proc run;
        try (HepSink sink = HepSink.startUdp()) {
            // a 24 kB tmpfs, seen only by this mount namespace; what the agent left there is
            // listed and read back by tshark inside it, after the agent exits
            String script = """
                    mount -t tmpfs -o size=24k tmpfs "$1" || exit 90
                    "$2" -r "$3" -m sip -H "udp:127.0.0.1:$4" -w "$1" --rotate 8kB
                    rc=$?
                    for f in "$1"/*; do
                      n=$(tshark -n -r "$f" -T fields -e frame.number 2>"$5.err" | wc -l) || n=unreadable
                      echo "$(basename "$f") $(stat -c %s "$f") $n" >>"$5"
                    done
                    exit $rc
                    """;
            run = Proc.run(
                    Duration.ofSeconds(180),
                    List.of(
                            "unshare",
                            "-m",
                            "sh",
                            "-c",
                            script,
                            "sh",
                            small.toString(),
                            Env.heptap().toString(),
                            Env.corpus(capture).toString(),
                            Integer.toString(sink.udpPort),
                            report.toString()));
            got = sink.stopAndRead();
        }
        String log = run.stderr();
        assertTrue(run.exitCode() != 90, "could not mount a tmpfs: " + log);
        // the collector got every SIP message: the full disk cost only the files
        assertEquals(Env.expectedPayloadShas(capture), Env.payloadShas(got), log);
        TreeMap<String, Long> c = transportCounters(log, "pcapfile");
        assertTrue(c.get("write-failed") > 0, "the packets the disk had no room for are counted: " + c);
        assertTrue(c.get("sent") > 0, "the files took what fitted: " + c);
        int sip = Env.manifestEntry(capture).get("sip_messages").asInt();
        assertEquals(sip, c.get("sent") + c.get("write-failed") + c.get("dropped") + c.get("queued"), c.toString());
        assertTrue(log.contains("No space left on device") && log.contains("capture goes on"), log);
        long warnings =
                log.lines().filter(l -> l.contains("packets lost so far")).count();
        assertTrue(warnings >= 1 && warnings <= 3, "logged, rate-limited: " + warnings + " lines\n" + log);
        assertTrue(log.contains("transport pcapfile write-failed"), "the ledger names the loss: " + log);
        assertEquals(5, run.exitCode(), "a replay whose messages did not all arrive says so (exit 5)\n" + log);
        // every file left on the full disk still opens: a failed write is cut back to the last good record
        List<String> files = Files.readAllLines(report);
        assertFalse(files.isEmpty(), "files were written before the disk filled");
        long frames = 0;
        for (String f : files) {
            String[] p = f.split(" ");
            assertTrue(p[2].matches("\\d+"), "tshark reads " + f + ": " + Files.readString(Path.of(report + ".err")));
            frames += Long.parseLong(p[2]);
        }
        assertEquals(c.get("sent"), frames, "the files hold exactly what was counted as written: " + files);
    }
}
