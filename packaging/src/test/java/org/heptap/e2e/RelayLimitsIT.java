package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HEP relay under bad or hostile senders (issue "Field-ready", points 12-14): compressed
 * bombs from one address must not starve another sender; idle connections from one address must
 * not lock the others out; what the kernel drops on the relay's UDP socket, records that are
 * not HEP and TCP garbage skipped are all in {@code heptapctl stats}. Linux lo answers all of
 * 127/8, so 127.0.0.2 is a second sender on the same host.
 */
@Offline
class RelayLimitsIT {
    private static final InetAddress ATTACKER;
    private static final InetAddress LEGIT;

    static {
        try {
            ATTACKER = InetAddress.getByName("127.0.0.1");
            LEGIT = InetAddress.getByName("127.0.0.2");
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void compression_bombs_from_one_address_do_not_starve_another_sender(@TempDir Path dir) throws Exception {
        int relayUdp = Env.freeUdpPort();
        int legitCount = 400;
        byte[] bomb = hep3("", new byte[1 << 20], true);
        assertTrue(bomb.length < 1500, "a 1 MB payload in a " + bomb.length + "-byte packet");
        String ctl = dir.resolve("ctl.sock").toString();
        try (HepSink sink = HepSink.startUdp();
                Proc relay = Proc.start(List.of(
                        Env.heptap().toString(),
                        "--hin",
                        "udp:127.0.0.1:" + relayUdp,
                        "-H",
                        "udp:127.0.0.1:" + sink.udpPort,
                        "--control",
                        ctl))) {
            RelayIT.waitFor(relay, "socket hin: collector listening", Duration.ofSeconds(60));
            AtomicBoolean legitDone = new AtomicBoolean();
            AtomicInteger bombs = new AtomicInteger();
            Thread attacker = new Thread(
                    () -> {
                        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ATTACKER, 0))) {
                            DatagramPacket p = new DatagramPacket(bomb, bomb.length, ATTACKER, relayUdp);
                            // about 2,000 bombs a second (the field report: 840 kept a core busy), until the legit
                            // sender is done
                            while (!legitDone.get() && bombs.get() < 40_000) {
                                s.send(p);
                                s.send(p);
                                bombs.addAndGet(2);
                                Thread.sleep(1);
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    "bomber");
            attacker.start();
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LEGIT, 0))) {
                for (int i = 0; i < legitCount; i++) {
                    byte[] d =
                            hep3("legit-" + i, sip("legit-" + i), true); // compressed too: its own budget is untouched
                    s.send(new DatagramPacket(d, d.length, ATTACKER, relayUdp));
                    Thread.sleep(10);
                }
            } finally {
                legitDone.set(true);
                attacker.join(10_000);
            }
            int relayed = waitForLines(sink.out, "legit-", legitCount, Duration.ofSeconds(30));
            assertEquals(
                    legitCount,
                    relayed,
                    "every legitimate packet relayed while " + bombs.get() + " bombs came\n" + relay.stderr());
            long refused = waitForCounter(ctl, "hin", "collector-inflate-refused", n -> n > 0, Duration.ofSeconds(20));
            assertTrue(refused > 0 && refused <= bombs.get(), refused + " bombs refused of " + bombs.get());
            JsonNode socket = stats(ctl).at("/ledger/sockets/hin");
            assertTrue(
                    socket.get("decode-refused").asLong() >= refused,
                    "refusals are a loss of the decode stage: " + socket);
            String log = relay.stderr();
            long lines = log.lines()
                    .filter(l -> l.contains("inflate-max-payload") || l.contains("inflate budget"))
                    .count();
            assertTrue(lines >= 1 && lines <= 5, "refusals logged, at most 5 lines a minute: " + lines + "\n" + log);
        }
    }

    @Test
    void idle_connections_from_one_address_do_not_lock_out_other_senders(@TempDir Path dir) throws Exception {
        int relayTcp = Env.freeTcpPort();
        int idle = 300; // more than the per-source limit (16) and than max-connections (256)
        String ctl = dir.resolve("ctl.sock").toString();
        List<Socket> idlers = new ArrayList<>();
        try (HepSink sink = HepSink.startUdp();
                Proc relay = Proc.start(List.of(
                        Env.heptap().toString(),
                        "--hin",
                        "tcp:127.0.0.1:" + relayTcp,
                        "-H",
                        "udp:127.0.0.1:" + sink.udpPort,
                        "--control",
                        ctl))) {
            RelayIT.waitFor(relay, "socket hin: collector listening", Duration.ofSeconds(60));
            for (int i = 0; i < idle; i++) {
                Socket s = new Socket();
                idlers.add(s);
                s.bind(new InetSocketAddress(ATTACKER, 0));
                s.connect(new InetSocketAddress(ATTACKER, relayTcp), 5000);
            }
            long refused = waitForCounter(
                    ctl,
                    "hin",
                    "collector-connections-refused-per-source",
                    n -> n >= idle - 16,
                    Duration.ofSeconds(30));

            // another address is served at once
            sendOverTcp(LEGIT, relayTcp, "legit-b-", 10);
            assertEquals(10, waitForLines(sink.out, "legit-b-", 10, Duration.ofSeconds(15)), relay.stderr());
            assertEquals(idle - 16, refused, "all but 16 of one address's connections refused");

            // the idle ones are closed long before tcp-idle-timeout (120 s): the address is served again
            long timedOut = waitForCounter(
                    ctl, "hin", "collector-connections-first-message-timeout", n -> n >= 16, Duration.ofSeconds(30));
            assertEquals(16, timedOut, "the 16 admitted idle connections closed for sending nothing");
            sendOverTcp(ATTACKER, relayTcp, "legit-a-", 10);
            assertEquals(10, waitForLines(sink.out, "legit-a-", 10, Duration.ofSeconds(15)), relay.stderr());

            String log = relay.stderr();
            long lines = log.lines()
                    .filter(l -> l.contains("connection from 127.0.0.1:"))
                    .count();
            assertTrue(lines >= 1 && lines <= 5, "refusals logged, at most 5 lines a minute: " + lines + "\n" + log);
        } finally {
            for (Socket s : idlers) s.close();
        }
    }

    @Test
    void kernel_drops_undecodable_records_and_skipped_garbage_are_in_heptapctl_stats(@TempDir Path dir)
            throws Exception {
        int relayUdp = Env.freeUdpPort();
        int relayTcp = Env.freeTcpPort();
        int flood = 20_000;
        String ctl = dir.resolve("ctl.sock").toString();
        try (HepSink sink = HepSink.startUdp();
                Proc relay = Proc.start(List.of(
                        Env.heptap().toString(),
                        "--hin",
                        "udp:127.0.0.1:" + relayUdp + ",tcp:127.0.0.1:" + relayTcp,
                        "-H",
                        "udp:127.0.0.1:" + sink.udpPort,
                        "--control",
                        ctl))) {
            RelayIT.waitFor(relay, "socket hin: collector listening", Duration.ofSeconds(60));
            // the quick flag asks for an 8 MB receive buffer (the kernel may give more: it counts its bookkeeping)
            Proc ss = Proc.run(Duration.ofSeconds(10), List.of("ss", "-Hlunm", "sport = :" + relayUdp));
            long rmemMax = Long.parseLong(
                    Files.readString(Path.of("/proc/sys/net/core/rmem_max")).trim());
            Matcher rb = Pattern.compile("rb(\\d+)").matcher(ss.stdout());
            assertTrue(rb.find() && Long.parseLong(rb.group(1)) >= Math.min(8 << 20, 2 * rmemMax), ss.stdout());

            // a relay that cannot keep up: stopped while 20,000 datagrams (about 40 MB of kernel memory) arrive
            long pid = relay.process.pid();
            byte[] d = hep3("flood", new byte[1000], false);
            Proc.run(Duration.ofSeconds(10), List.of("kill", "-STOP", Long.toString(pid)));
            try (DatagramSocket s = new DatagramSocket()) {
                for (int i = 0; i < flood; i++) s.send(new DatagramPacket(d, d.length, ATTACKER, relayUdp));
            } finally {
                Proc.run(Duration.ofSeconds(10), List.of("kill", "-CONT", Long.toString(pid)));
            }
            // the relay works off what its buffer held; then three datagrams that are not HEP, and over TCP garbage
            // around two packets
            waitForCounter(ctl, "hin", "kernel-received", n -> n >= flood, Duration.ofSeconds(30));
            try (DatagramSocket s = new DatagramSocket()) {
                for (int i = 0; i < 3; i++)
                    s.send(new DatagramPacket(new byte[] {'n', 'o', 'p', 'e', '!', '!'}, 6, ATTACKER, relayUdp));
            }
            try (Socket s = new Socket(ATTACKER, relayTcp)) {
                OutputStream o = s.getOutputStream();
                o.write("x".repeat(100).getBytes(StandardCharsets.US_ASCII));
                o.write(hep3("tcpmark-0", sip("tcpmark-0"), false));
                o.write("y".repeat(50).getBytes(StandardCharsets.US_ASCII));
                o.write(hep3("tcpmark-1", sip("tcpmark-1"), false));
                o.flush();
                waitForLines(sink.out, "tcpmark-", 2, Duration.ofSeconds(15));
            }
            waitForCounter(ctl, "hin", "collector-undecodable", n -> n >= 3, Duration.ofSeconds(20));

            long procDrops = procNetUdpDrops(relayUdp);
            assertTrue(procDrops > 0, "the kernel dropped some of the flood");
            JsonNode socket = stats(ctl).at("/ledger/sockets/hin");
            assertEquals(
                    procDrops,
                    socket.get("kernel-dropped").asLong(),
                    "the ledger's kernel-dropped is /proc/net/udp's: " + socket);
            long sent = flood + 3 + 2;
            long accounted = socket.get("captured").asLong()
                    + socket.get("kernel-dropped").asLong();
            assertTrue(
                    accounted <= sent && accounted >= sent * 9 / 10,
                    "captured + dropped ~ sent (" + sent + "): " + socket);
            assertEquals(socket.get("kernel-received").asLong(), accounted, socket.toString());
            assertEquals(3, socket.get("collector-undecodable").asLong(), socket.toString());
            assertEquals(
                    3,
                    socket.get("decode-malformed").asLong(),
                    "what is not HEP is a loss of the decode stage: " + socket);
            assertTrue(stats(ctl).at("/ledger/balanced").asBoolean(), "every datagram is accounted for");
            assertEquals(150, socket.get("collector-stream-bytes-skipped").asLong(), socket.toString());

            Proc text = ctl(ctl, "stats");
            assertTrue(text.stdout().contains("kernel-dropped " + procDrops), text.stdout());
            assertTrue(text.stdout().contains("collector-undecodable 3"), text.stdout());
            assertTrue(
                    text.stdout().contains("+ kernel-dropped " + procDrops),
                    "a loss in the capture stage:\n" + text.stdout());
            RelayIT.waitFor(relay, "the kernel dropped", Duration.ofSeconds(15));
        }
    }

    @Test
    void a_receive_buffer_the_kernel_caps_is_reported(@TempDir Path dir) throws Exception {
        long rmemMax = Long.parseLong(
                Files.readString(Path.of("/proc/sys/net/core/rmem_max")).trim());
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/relay.cfg"), "capture[collector] {\n    drop;\n}\n");
        Path yaml = dir.resolve("heptap.yaml");
        long asked =
                Math.min(1L << 30, Math.max(64L << 20, rmemMax * 4)); // more than the kernel grants (twice rmem_max)
        Files.writeString(yaml, """
                agent:
                  capture-plans: plans
                sockets:
                  relay:
                    type: collector
                    format: hep
                    listen: [ "udp:127.0.0.1:%d" ]
                    receive-buffer: %d
                    capture-plan: relay.cfg
                """.formatted(Env.freeUdpPort(), asked));
        try (Proc relay = Proc.start(List.of(
                Env.heptap().toString(),
                "--config",
                yaml.toString(),
                "--control",
                dir.resolve("c.sock").toString()))) {
            RelayIT.waitFor(relay, "socket relay: collector listening", Duration.ofSeconds(60));
            String log = relay.stderr();
            assertTrue(log.contains("not the " + asked + " asked (receive-buffer); raise net.core.rmem_max"), log);
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    /** A SIP request of about 300 bytes whose Call-ID is {@code callId}: what a legitimate sender relays. */
    private static byte[] sip(String callId) {
        return ("OPTIONS sip:relay@example.net SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK" + callId
                        + "\r\nFrom: <sip:a@example.net>;tag=" + callId + "\r\nTo: <sip:relay@example.net>\r\nCall-ID: "
                        + callId
                        + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A HEP3 packet (IPv4, UDP, SIP) with correlation id {@code marker}; its payload in chunk 0x0010 when compressed. */
    static byte[] hep3(String marker, byte[] payload, boolean compressed) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        chunk(b, 0x01, new byte[] {2});
        chunk(b, 0x02, new byte[] {17});
        chunk(b, 0x03, new byte[] {10, 0, 0, 1});
        chunk(b, 0x04, new byte[] {10, 0, 0, 2});
        chunk(b, 0x07, new byte[] {0x13, (byte) 0xc4});
        chunk(b, 0x08, new byte[] {0x13, (byte) 0xc4});
        long now = System.currentTimeMillis();
        chunk(b, 0x09, be32(now / 1000));
        chunk(b, 0x0a, be32(now % 1000 * 1000));
        chunk(b, 0x0b, new byte[] {1});
        chunk(b, 0x0c, be32(2001));
        if (!marker.isEmpty()) chunk(b, 0x11, marker.getBytes(StandardCharsets.US_ASCII));
        chunk(b, compressed ? 0x10 : 0x0f, compressed ? deflate(payload) : payload);
        byte[] body = b.toByteArray();
        byte[] out = new byte[6 + body.length];
        System.arraycopy("HEP3".getBytes(StandardCharsets.US_ASCII), 0, out, 0, 4);
        out[4] = (byte) (out.length >> 8);
        out[5] = (byte) out.length;
        System.arraycopy(body, 0, out, 6, body.length);
        return out;
    }

    private static byte[] be32(long v) {
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    private static void chunk(ByteArrayOutputStream b, int type, byte[] value) {
        int len = 6 + value.length;
        b.writeBytes(new byte[] {0, 0, (byte) (type >> 8), (byte) type, (byte) (len >> 8), (byte) len});
        b.writeBytes(value);
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    /** {@code n} HEP3 packets over one TCP connection from {@code from}, correlation ids {@code prefix0..}. */
    private static void sendOverTcp(InetAddress from, int port, String prefix, int n) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(ATTACKER, port), 5000);
            OutputStream o = s.getOutputStream();
            for (int i = 0; i < n; i++) o.write(hep3(prefix + i, sip(prefix + i), false));
            o.flush();
        }
    }

    /** Waits until hep-sink's file has {@code want} lines containing {@code marker} (or the timeout); returns how many it has. */
    private static int waitForLines(Path sinkOut, String marker, int want, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int n = 0;
        while (true) {
            n = (int) Files.readString(sinkOut)
                    .lines()
                    .filter(l -> l.contains(marker))
                    .count();
            if (n >= want || System.nanoTime() > deadline) return n;
            Thread.sleep(200);
        }
    }

    private static Proc ctl(String sock, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of(Env.home().resolve("bin/heptapctl").toString(), "--socket", sock));
        cmd.addAll(List.of(args));
        Proc p = Proc.run(Duration.ofSeconds(60), cmd);
        assertEquals(0, p.exitCode(), p.stdout() + p.stderr());
        return p;
    }

    private static JsonNode stats(String sock) throws Exception {
        return Env.JSON.readTree(ctl(sock, "--json", "stats").stdout());
    }

    /** Polls {@code heptapctl stats} until the socket's counter satisfies {@code done} (or the timeout); returns its value. */
    private static long waitForCounter(String sock, String socket, String counter, LongPredicate done, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long v = stats(sock).at("/ledger/sockets/" + socket + "/" + counter).asLong(-1);
            if (done.test(v) || System.nanoTime() > deadline) return v;
            Thread.sleep(300);
        }
    }

    /** The drops column of /proc/net/udp for the socket bound to {@code port}, read by the test itself. */
    private static long procNetUdpDrops(int port) throws Exception {
        String local = String.format(":%04X ", port);
        for (String l : Files.readAllLines(Path.of("/proc/net/udp"))) {
            String[] f = l.trim().split("\\s+");
            if (f.length > 12 && (f[1] + " ").endsWith(local)) return Long.parseLong(f[12]);
        }
        throw new AssertionError("no /proc/net/udp line for port " + port);
    }
}
