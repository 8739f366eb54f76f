package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Capture privileges and start-up errors (issue 7, acceptance 2 and "quiet start"): the unpacked
 * release tarball run as {@code nobody} with only CAP_NET_RAW and CAP_NET_ADMIN (ambient, as the
 * systemd unit grants them) captures on lo and sends to hep-sink; without them it exits with the
 * error that names the fix; an interface that does not exist is named with the ones that do.
 */
class NonRootCaptureIT {
    private static final String USER = "nobody";
    private static final String GROUP = "nogroup";
    private static final int MESSAGES = 5;

    /** The release tarball unpacked where {@code nobody} can read it (a CI checkout may not be). */
    private static Path installDir;

    private static Path install;

    @BeforeAll
    static void unpackTarball() throws Exception {
        if (!isRoot()) return;
        Path tarball;
        try (Stream<Path> s = Files.list(Env.home().resolve("packaging/target"))) {
            tarball = s.filter(p -> p.getFileName().toString().matches("heptap-.*\\.tar\\.gz"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no packaging/target/heptap-*.tar.gz: run mvn package"));
        }
        installDir = Files.createTempDirectory(
                "heptap-nonroot", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Proc tar = Proc.run(
                Duration.ofSeconds(60), List.of("tar", "-xzf", tarball.toString(), "-C", installDir.toString()));
        assertEquals(0, tar.exitCode(), tar.stderr());
        try (DirectoryStream<Path> d = Files.newDirectoryStream(installDir)) {
            install = d.iterator().next();
        }
        assertTrue(Files.isExecutable(install.resolve("bin/heptap")), "tarball has bin/heptap: " + install);
        assertTrue(
                Files.readString(install.resolve("completion/heptap")).contains("--hep-version"),
                "tarball has the bash completion");
        try (Stream<Path> jars = Files.list(install.resolve("lib"))) {
            assertTrue(
                    jars.anyMatch(j -> j.getFileName().toString().startsWith("heptap-cli-")),
                    "tarball has lib/heptap-cli-*.jar");
        }
    }

    @AfterAll
    static void removeInstall() throws IOException {
        if (installDir == null) return;
        try (Stream<Path> s = Files.walk(installDir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void nobody_with_net_raw_and_net_admin_captures_on_lo_and_sends_to_hep_sink() throws Exception {
        assumeTrue(isRoot(), "switching to another user needs root");
        assumeTrue(Env.onPath("setpriv"), "setpriv (util-linux) is installed by bin/test-all");
        int sipPort = Env.freeUdpPort();
        Set<String> sent = new TreeSet<>();
        try (HepSink sink = HepSink.startUdp();
                Proc agent = Proc.start(asNobody(
                        true,
                        install.resolve("bin/heptap").toString(),
                        "-i",
                        "lo",
                        "-p",
                        Integer.toString(sipPort),
                        "-m",
                        "sip",
                        "-H",
                        "udp:127.0.0.1:" + sink.udpPort))) {
            // logged once the capture handle is open: from then on the kernel keeps what lo carries
            waitFor(agent, "socket sip: interface lo", Duration.ofSeconds(60));
            try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                for (int i = 0; i < MESSAGES; i++) {
                    byte[] sip = options(i, udp.getLocalPort(), sipPort);
                    sent.add(sha256(sip));
                    udp.send(new DatagramPacket(sip, sip.length, InetAddress.getLoopbackAddress(), sipPort));
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (ours(sink.read(), sipPort).size() < MESSAGES && System.nanoTime() < deadline) Thread.sleep(100);
            agent.terminate(Duration.ofSeconds(20));
            Set<String> received = ours(sink.stopAndRead(), sipPort);
            assertEquals(
                    sent,
                    received,
                    "hep-sink received every datagram sent to " + sipPort + "; agent log:\n" + agent.stderr());
            // quick mode also routes to the console transport, which is silent (and counted so) when stdout is no
            // terminal
            assertTrue(
                    agent.stderr().contains("ledger: captured " + MESSAGES + " frames, sent " + MESSAGES + " messages"),
                    "the final ledger line accounts for them: " + agent.stderr());
        }
    }

    @Test
    void nobody_without_capabilities_is_told_how_to_grant_them() throws Exception {
        assumeTrue(isRoot(), "switching to another user needs root");
        assumeTrue(Env.onPath("setpriv"), "setpriv (util-linux) is installed by bin/test-all");
        Proc agent = Proc.run(
                Duration.ofSeconds(60),
                asNobody(
                        false,
                        install.resolve("bin/heptap").toString(),
                        "-i",
                        "lo",
                        "-p",
                        Integer.toString(Env.freeUdpPort()),
                        "-m",
                        "sip",
                        "-H",
                        "udp:127.0.0.1:" + Env.freeUdpPort()));
        assertNotEquals(0, agent.exitCode(), agent.stderr());
        String err = agent.stderr();
        assertTrue(err.contains("ERROR") && err.contains("no permission to capture on \"lo\""), err);
        assertTrue(
                err.contains("grant CAP_NET_RAW and CAP_NET_ADMIN")
                        && err.contains("AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN")
                        && err.contains("setcap cap_net_raw,cap_net_admin+eip"),
                "the error names the fix: " + err);
    }

    @Test
    void an_unknown_interface_is_named_with_the_available_ones() throws Exception {
        Proc agent = Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        Env.heptap().toString(),
                        "-i",
                        "nosuchif0",
                        "-p",
                        Integer.toString(Env.freeUdpPort()),
                        "-m",
                        "sip",
                        "-H",
                        "udp:127.0.0.1:" + Env.freeUdpPort()));
        assertNotEquals(0, agent.exitCode(), agent.stderr());
        String err = agent.stderr();
        String line = err.lines()
                .filter(l -> l.contains("nosuchif0"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no error naming nosuchif0: " + err));
        assertTrue(line.contains("ERROR") && line.contains("capture interface \"nosuchif0\" does not exist"), line);
        assertTrue(
                line.matches(".*available: .*\\blo\\b.*"),
                "the available interfaces are listed (lo among them): " + line);
        assertTrue(agent.stdout().isEmpty() || !agent.stdout().contains("nosuchif0"), "the error goes to stderr");
    }

    /** {@code setpriv} to nobody/nogroup with no supplementary groups; with {@code caps}, only the capture capabilities. */
    private static List<String> asNobody(boolean caps, String... command) {
        List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + GROUP, "--clear-groups"));
        if (caps) {
            c.add("--inh-caps=+net_raw,+net_admin");
            c.add("--ambient-caps=+net_raw,+net_admin");
        } else {
            c.add("--inh-caps=-all");
        }
        c.addAll(List.of(command));
        return c;
    }

    private static byte[] options(int i, int fromPort, int toPort) {
        String callId = "nonroot-" + i + "-" + System.nanoTime() + "@127.0.0.1";
        String msg = "OPTIONS sip:probe@127.0.0.1:" + toPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + fromPort + ";branch=z9hG4bK-nonroot-" + i + "\r\n"
                + "From: <sip:it@127.0.0.1>;tag=" + i + "\r\n"
                + "To: <sip:probe@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + (i + 1) + " OPTIONS\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
        return msg.getBytes(StandardCharsets.US_ASCII);
    }

    private static Set<String> ours(List<JsonNode> messages, int sipPort) {
        Set<String> s = new TreeSet<>();
        for (JsonNode m : messages)
            if (m.path("dstPort").asInt() == sipPort)
                s.add(m.path("payloadSha256").asText());
        return s;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void waitFor(Proc p, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (p.stderr().contains(text)) return;
            if (!p.process.isAlive()) throw new AssertionError(p.command + " exited: " + p.stderr());
            Thread.sleep(100);
        }
        throw new AssertionError(p.command + " did not say '" + text + "': " + p.stderr());
    }
}
