package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * sngrep as the HEP peer (issue 4, acceptance 1): {@code sngrep -N -q -L udp:127.0.0.1:PORT -O
 * out.pcap} receives heptap's HEP v2 and v3 (a replay of the corpus capture) and writes every SIP
 * message; tshark counts the messages and Call-IDs in out.pcap against the MANIFEST.
 *
 * <p>sngrep decodes one HEP version per listener ({@code eep.listen.version}, default 3), set
 * through an rc file named by {@code SNGREPRC}. With only {@code -L} it opens no live capture
 * (nothing else on lo reaches out.pcap). It writes out.pcap as it goes and stops on SIGTERM
 * within about 2 s; the test waits at most 15 s, then kills it.
 */
@Offline
class SngrepIT {
    private static final String CAPTURE = "sip-udp-v4.pcap";

    @ParameterizedTest(name = "HEP v{0}")
    @ValueSource(ints = {2, 3})
    void sngrep_writes_every_sip_message_heptap_sends(int version, @TempDir Path dir) throws Exception {
        assumeTrue(Env.onPath("sngrep") && Env.onPath("tshark"), "sngrep and tshark are installed by bin/test-all");
        Path rc = dir.resolve("sngreprc");
        Files.writeString(rc, "set eep.listen.version " + version + "\n");
        Path out = dir.resolve("out.pcap");
        int port = Env.freeUdpPort();
        Proc sngrep = Proc.start(List.of(
                "env", "SNGREPRC=" + rc, "sngrep", "-N", "-q", "-L", "udp:127.0.0.1:" + port, "-O", out.toString()));
        try {
            HepSink.waitListening(port, sngrep, "-Hlun");
            Proc agent =
                    QuickReplay.sip(CAPTURE, "--hep-version", Integer.toString(version), "-H", "udp:127.0.0.1:" + port);
            // the agent has exited, so every datagram is in sngrep's socket: wait until sngrep has read them
            Await.until(() -> udpReceiveQueueEmpty(port), Duration.ofSeconds(15), "sngrep to read its socket");
            sngrep.process.destroy(); // SIGTERM: sngrep closes out.pcap and exits
            if (!sngrep.process.waitFor(15, TimeUnit.SECONDS)) {
                throw new AssertionError("sngrep did not stop within 15 s of SIGTERM: " + sngrep.stderr());
            }
        } finally {
            sngrep.close();
        }
        Proc tshark = Proc.run(
                Duration.ofSeconds(60),
                List.of("tshark", "-r", out.toString(), "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID"));
        assertEquals(0, tshark.exitCode(), tshark.stderr());
        List<String> lines = tshark.stdout().lines().filter(l -> !l.isBlank()).toList();
        assertFalse(lines.isEmpty(), "sngrep wrote no SIP to out.pcap: " + sngrep.stdout() + sngrep.stderr());
        var manifest = Env.manifestEntry(CAPTURE);
        assertEquals(manifest.get("sip_messages").asInt(), lines.size(), "SIP messages in sngrep's out.pcap");
        TreeSet<String> want = new TreeSet<>();
        manifest.get("call_id_list").forEach(n -> want.add(n.asText()));
        assertEquals(want, new TreeSet<>(lines), "Call-IDs in sngrep's out.pcap");
    }

    /** True when the UDP socket bound to the port has nothing left to read (ss's Recv-Q is 0). */
    private static boolean udpReceiveQueueEmpty(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-Hlun", "sport = :" + port)
                .redirectErrorStream(true)
                .start();
        String o = new String(ss.getInputStream().readAllBytes()).strip();
        ss.waitFor();
        String[] f = o.split("\\s+");
        return f.length > 2 && f[1].equals("0");
    }
}
