package org.heptap.transport;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.heptap.core.message.Message;
import org.heptap.core.spi.ModuleHooks;
import org.heptap.hep.MiniJson;
import org.heptap.hep.Shared;
import org.heptap.hep.TestMessages;
import org.heptap.hep.codec.HepSettings;
import org.heptap.hep.transport.HepWireFormat;
import org.heptap.transport.UdpConfig.NativeMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sends through real HepTransports to hep-sink (Node, hep-js; bin/test-all installs it under target/tools): what an independent
 * HEP implementation reads from our packets, field by field. Skipped only when {@code node} is not
 * installed; a missing {@code node_modules} is a failure that says how to install it.
 */
@Timeout(120)
class HepSinkInteropTest {
    private static final Path SINK = installedSink();

    /** bin/test-all installs hep-sink under target/ (npm ci); a copy installed in place in testdata/tools also works. */
    private static Path installedSink() {
        String configured = System.getProperty("heptap.hepsink");
        if (configured != null) {
            Path dir = Path.of(configured).getParent();
            if (Files.isDirectory(dir.resolve("node_modules/hep-js"))) return dir;
        }
        return Shared.dir().resolve("tools/hep-sink");
    }

    /** One packet to send and what hep-sink must report for it. */
    private record Case(String id, int transport, Message message, Map<String, Object> expect) {}

    private static boolean nodeInstalled() {
        try {
            Process p = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Message sip(int ip, String id) {
        return TestMessages.sip(ip, payload(id));
    }

    private static String payload(String id) {
        return TestMessages.OPTIONS.replace("z9hG4bK1", "z9hG4bK-" + id);
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static Map<String, Object> common(int version, int ip) {
        return fields(
                "version",
                (long) version,
                "srcIp",
                ip == 6 ? "2001:db8::10" : "192.0.2.10",
                "dstIp",
                ip == 6 ? "2001:db8::20" : "192.0.2.20",
                "srcPort",
                5060L,
                "dstPort",
                5060L);
    }

    private static Map<String, Object> v3(int ip, int type, boolean compressed) {
        Map<String, Object> m = common(3, ip);
        m.putAll(fields(
                "protocolFamily",
                ip == 6 ? 10L : 2L,
                "protocol",
                17L,
                "timeSeconds",
                1_700_000_000L,
                "timeUseconds",
                123_456L,
                "payloadType",
                (long) type));
        if (compressed) m.put("compressed", true);
        return m;
    }

    @ParameterizedTest(name = "collector {0}")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void hepSinkDecodesEveryVersionAndVariant(String collector, @TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(nodeInstalled(), "node is not installed");
        assertTrue(
                Files.isDirectory(SINK.resolve("node_modules/hep-js")),
                "hep-sink is not installed: run bin/test-all (it runs npm ci for it under target/tools/hep-sink)");
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(collector), 0))) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            Assumptions.abort("cannot bind " + collector + ": " + e.getMessage());
            return;
        }

        // transport 0: v3 with password and node name; 1: v3 compressed; 2: v2; 3: v1
        List<HepSettings> profiles = List.of(
                new HepSettings(3, 2001, "myhep", "node1", false),
                new HepSettings(3, 2002, null, null, true),
                new HepSettings(2, 2003, null, null, false),
                new HepSettings(1, 0, null, null, false));
        List<Case> cases = new ArrayList<>();
        for (int ip : new int[] {4, 6}) {
            Map<String, Object> plain = v3(ip, 1, false);
            plain.putAll(fields("captureId", 2001L, "capturePass", "myhep", "hepNodeName", "node1"));
            cases.add(new Case("v3-ip" + ip, 0, sip(ip, "v3-ip" + ip), plain));

            Map<String, Object> zipped = v3(ip, 1, true);
            zipped.put("captureId", 2002L);
            cases.add(new Case("v3z-ip" + ip, 1, sip(ip, "v3z-ip" + ip), zipped));

            Map<String, Object> two = common(2, ip);
            two.putAll(fields(
                    "protocolFamily",
                    ip == 6 ? 10L : 2L,
                    "protocol",
                    17L,
                    "timeSeconds",
                    1_700_000_000L,
                    "timeUseconds",
                    123_456L,
                    "captureId",
                    2003L));
            cases.add(new Case("v2-ip" + ip, 2, sip(ip, "v2-ip" + ip), two));

            Map<String, Object> one = common(1, ip);
            one.put("headerLength", ip == 6 ? 40L : 16L);
            cases.add(new Case("v1-ip" + ip, 3, sip(ip, "v1-ip" + ip), one));
        }
        Message rtcp = TestMessages.rtcpV4("{\"type\":200,\"id\":\"rtcp-corr\"}");
        Map<String, Object> rtcpExpect = v3(4, 5, false);
        rtcpExpect.putAll(fields("correlation_id", "c1@192.0.2.10", "captureId", 2001L));
        cases.add(new Case("rtcp-corr", 0, rtcp, rtcpExpect));

        Path out = tmp.resolve("hep.jsonl");
        String listen = collector.contains(":") ? "[" + collector + "]:" + port : collector + ":" + port;
        Process sink = new ProcessBuilder(
                        "node",
                        SINK.resolve("hep-sink.js").toString(),
                        "--udp",
                        listen,
                        "--out",
                        out.toString(),
                        "--idle-exit",
                        "10",
                        "--max-seconds",
                        "60")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<UdpSender> transports = new ArrayList<>();
        try {
            awaitListening(sink);
            for (HepSettings s : profiles) {
                UdpSender t = new UdpSender(
                        "sink-v" + s.version(),
                        new UdpConfig(collector, port, 1024, true, NativeMode.AUTO),
                        false,
                        new HepWireFormat(s),
                        DatagramBufferPool.of(new ModuleHooks()));
                transports.add(t);
                t.start();
            }
            for (Case c : cases) assertTrue(transports.get(c.transport()).send(c.message()), c.id());
            for (UdpSender t : transports) assertTrue(t.drain(Duration.ofSeconds(10)));
            awaitLines(out, cases.size());
            sink.destroy(); // SIGTERM: hep-sink writes its summary line and exits
            assertTrue(sink.waitFor(10, TimeUnit.SECONDS), "hep-sink did not stop");
        } finally {
            for (UdpSender t : transports) t.close();
            if (sink.isAlive()) {
                sink.destroyForcibly();
                sink.waitFor(5, TimeUnit.SECONDS);
            }
        }

        // kept for whoever has to look at a failure (surefire runs in the module directory)
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.copy(
                    out,
                    target.resolve("hep-sink-" + (collector.contains(":") ? "ipv6" : "ipv4") + ".jsonl"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        List<Map<String, Object>> records = new ArrayList<>();
        Map<String, Object> summary = null;
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            Map<String, Object> r = MiniJson.object(line);
            if (r.containsKey("summary")) summary = r;
            else records.add(r);
        }
        assertEquals(cases.size(), records.size(), "one record per packet: " + records);
        assertNotNull(summary, "summary line");
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) summary.get("summary");
        assertEquals((long) cases.size(), counts.get("packets"));
        assertEquals(0L, counts.get("invalid"));

        for (Case c : cases) {
            String expectedPayload = new String(
                    c.message().payload(),
                    c.message().payloadOffset(),
                    c.message().payloadLength(),
                    StandardCharsets.UTF_8);
            String marker = c.id().equals("rtcp-corr") ? "rtcp-corr" : "z9hG4bK-" + c.id() + "\r\n";
            Map<String, Object> r = records.stream()
                    .filter(x -> String.valueOf(x.get("payload")).contains(marker))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(c.id() + " not received: " + records));
            for (Map.Entry<String, Object> e : c.expect().entrySet()) {
                assertEquals(e.getValue(), r.get(e.getKey()), c.id() + " " + e.getKey() + " in " + r);
            }
            for (String bad : List.of("invalid", "lengthMismatch", "badChunk", "compressedUndecodable")) {
                assertFalse(r.containsKey(bad), c.id() + " " + bad + " in " + r);
            }
            if ((Long) r.get("version") == 2) {
                assertV2Payload(c.id(), r, expectedPayload);
            } else {
                assertEquals(expectedPayload, r.get("payload"), c.id());
                assertEquals((long) expectedPayload.length(), r.get("payloadLength"), c.id());
            }
            if (c.transport() != 0) {
                assertFalse(r.containsKey("capturePass"), c.id());
                assertFalse(r.containsKey("hepNodeName"), c.id());
            }
        }
    }

    /**
     * Over TCP, a SIP message too large for one HEP3 packet (over 65535 bytes) goes with its
     * payload compressed: hep-sink inflates it back to the whole message.
     */
    @Test
    void hepSinkGetsASipMessageOver64KbWholeOverTcp(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(nodeInstalled(), "node is not installed");
        assertTrue(
                Files.isDirectory(SINK.resolve("node_modules/hep-js")),
                "hep-sink is not installed: run bin/test-all (it runs npm ci for it under target/tools/hep-sink)");
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String big = payload("big")
                .replace("Content-Length: 0", "X-Big: " + "0123456789".repeat(10_000) + "\r\nContent-Length: 0");
        assertTrue(big.length() > 100_000);
        Path out = tmp.resolve("hep.jsonl");
        Process sink = new ProcessBuilder(
                        "node",
                        SINK.resolve("hep-sink.js").toString(),
                        "--tcp",
                        "127.0.0.1:" + port,
                        "--out",
                        out.toString(),
                        "--idle-exit",
                        "10",
                        "--max-seconds",
                        "60")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        StreamSender t = new StreamSender(
                "big",
                new StreamConfig(
                        "tcp",
                        "127.0.0.1",
                        port,
                        1024,
                        Duration.ofSeconds(2),
                        Duration.ofMillis(50),
                        Duration.ofMillis(200),
                        true,
                        0,
                        null,
                        0,
                        null),
                false,
                new HepWireFormat(new HepSettings(3, 2001, null, null, false)));
        try {
            awaitListening(sink, "hep-sink: tcp");
            t.start();
            assertTrue(t.send(TestMessages.sip(4, big)));
            assertTrue(t.drain(Duration.ofSeconds(10)));
            awaitLines(out, 1);
            sink.destroy();
            assertTrue(sink.waitFor(10, TimeUnit.SECONDS), "hep-sink did not stop");
        } finally {
            t.close();
            if (sink.isAlive()) {
                sink.destroyForcibly();
                sink.waitFor(5, TimeUnit.SECONDS);
            }
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.contains("\"summary\"")) records.add(MiniJson.object(line));
        }
        assertEquals(1, records.size(), records.toString());
        Map<String, Object> r = records.get(0);
        assertEquals(true, r.get("compressed"), "sent compressed: " + r.keySet());
        assertEquals(big, r.get("payload"), "the whole message");
        assertEquals(2001L, r.get("captureId"));
        for (String bad : List.of("invalid", "lengthMismatch", "badChunk", "compressedUndecodable")) {
            assertFalse(r.containsKey(bad), bad + " in " + r.keySet());
        }
    }

    /**
     * hep-sink 1.0.0 starts a v2 payload at the header length byte (16/40), so its payload
     * includes the 12-byte time block that hp_l does not count (wire format §2.1, captagent,
     * Wireshark). Accept that reading, but only with exactly our time block in front, and the
     * correct reading should the sink be fixed.
     */
    private static void assertV2Payload(String id, Map<String, Object> r, String expected) {
        String p = (String) r.get("payload");
        if (p.equals(expected)) return;
        assertEquals(
                (long) expected.length() + 12,
                r.get("payloadLength"),
                id + ": payload is neither ours nor time block + ours");
        assertTrue(p.endsWith(expected), id);
    }

    private static void awaitListening(Process sink) throws InterruptedException {
        awaitListening(sink, "hep-sink: udp");
    }

    private static void awaitListening(Process sink, String readyLine) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(sink.getErrorStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            synchronized (log) {
                                log.append(line).append('\n');
                            }
                            if (line.startsWith(readyLine)) ready.countDown();
                        }
                    } catch (IOException e) {
                        // process ended
                    }
                },
                "hep-sink-stderr");
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(20, TimeUnit.SECONDS)) {
            synchronized (log) {
                fail("hep-sink did not start listening: " + log
                        + (sink.isAlive() ? "" : " (exit " + sink.exitValue() + ")"));
            }
        }
    }

    private static void awaitLines(Path out, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (Files.exists(out)
                    && Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                                    .filter(l -> !l.isBlank())
                                    .count()
                            >= n) return;
            Thread.sleep(20);
        }
    }
}
