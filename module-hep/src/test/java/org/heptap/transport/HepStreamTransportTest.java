package org.heptap.transport;

import static org.heptap.hep.TestMessages.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heptap.core.ledger.LossLedger;
import org.heptap.core.message.Message;
import org.heptap.hep.codec.HepDecodeResult;
import org.heptap.hep.codec.HepDecoder;
import org.heptap.hep.codec.HepSettings;
import org.heptap.hep.transport.HepWireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class HepStreamTransportTest {
    private static final Duration DRAIN = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static StreamConfig config(int port, Path spool) {
        return new StreamConfig(
                "tcp",
                "127.0.0.1",
                port,
                1024,
                Duration.ofSeconds(2),
                Duration.ofMillis(50),
                Duration.ofMillis(200),
                true,
                0,
                spool,
                10 << 20,
                null);
    }

    private static Message numbered(int i) {
        return sip(4, OPTIONS.replace("c1@", "n" + i + "@"));
    }

    private static List<String> callIds(List<byte[]> packets) {
        List<String> ids = new ArrayList<>();
        try (HepDecoder d = new HepDecoder()) {
            for (byte[] p : packets) {
                HepDecodeResult r = d.decode(p);
                assertTrue(r.ok(), r.detail());
                String t = r.packet().payloadText();
                int at = t.indexOf("Call-ID: ") + 9;
                ids.add(t.substring(at, t.indexOf('\r', at)));
            }
        }
        return ids;
    }

    private static List<String> expected(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) ids.add("n" + i + "@192.0.2.10");
        return ids;
    }

    @Test
    void hep3_packets_arrive_back_to_back_on_one_connection_and_decode() throws Exception {
        try (TcpReceiver rx = new TcpReceiver(0)) {
            StreamSender t = new StreamSender(
                    "t",
                    config(rx.port(), null),
                    false,
                    new HepWireFormat(new HepSettings(3, 2001, "pw", "node", true)));
            t.start();
            for (int i = 0; i < 500; i++) assertTrue(t.send(numbered(i)));
            assertTrue(t.drain(DRAIN));
            assertTrue(rx.awaitPackets(500, 5000));
            t.close();
            assertEquals(expected(0, 500), callIds(rx.packets));
            Map<String, Long> c = t.counters();
            assertEquals(500, c.get("sent"));
            assertEquals(0, c.get("dropped"));
            assertEquals(1, rx.connections);
        }
    }

    @Test
    void a_sip_message_over_64_kb_arrives_whole_compressed() throws Exception {
        String big =
                OPTIONS.replace("Content-Length: 0", "X-Big: " + "abcdefghij".repeat(10_000) + "\r\nContent-Length: 0");
        assertTrue(big.length() > 100_000);
        try (TcpReceiver rx = new TcpReceiver(0)) {
            StreamSender t =
                    new StreamSender("t", config(rx.port(), null), false, new HepWireFormat(HepSettings.v3(1)));
            t.start();
            assertTrue(t.send(sip(4, big)));
            assertTrue(t.drain(DRAIN));
            assertTrue(rx.awaitPackets(1, 5000));
            t.close();
            try (HepDecoder d = new HepDecoder()) {
                HepDecodeResult r = d.decode(rx.packets.get(0));
                assertTrue(r.ok(), r.detail());
                assertTrue(r.packet().compressed());
                assertEquals(big, r.packet().payloadText());
            }
            assertEquals(0, t.counters().get("oversize"));
        }
    }

    @Test
    void collector_down_at_start_spools_then_sends_in_order_after_it_comes_up() throws Exception {
        int port = freePort();
        Path spool = tmp.resolve("spool");
        StreamSender t = new StreamSender("t", config(port, spool), false, new HepWireFormat(HepSettings.v3(1)));
        t.start();
        for (int i = 0; i < 200; i++) t.send(numbered(i));
        // until the transport has failed to connect and spooled (bounded)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((t.healthy() || t.counters().get("buffered") == 0) && System.nanoTime() < deadline) Thread.sleep(10);
        assertFalse(t.healthy());
        assertTrue(t.counters().get("buffered") > 0, t.counters().toString());
        try (TcpReceiver rx = new TcpReceiver(port)) {
            for (int i = 200; i < 300; i++) t.send(numbered(i));
            assertTrue(rx.awaitPackets(300, 10000), "got " + rx.packets.size());
            assertTrue(t.drain(DRAIN));
            t.close();
            assertEquals(expected(0, 300), callIds(rx.packets));
            assertTrue(t.counters().get("reconnects") >= 1);
            assertEquals(0, t.counters().get("buffered"));
            assertBalanced(t, 300);
        }
        try (var files = Files.list(spool)) {
            assertTrue(files.findAny().isEmpty(), "drained spool leaves no file");
        }
    }

    @Test
    void spool_survives_a_restart_and_is_sent_exactly_once() throws Exception {
        int port = freePort();
        Path spool = tmp.resolve("spool2");
        StreamSender first = leaveInSpool(spool, port, 100);
        assertEquals(100, first.counters().get("spooled"));
        assertTrue(Files.list(spool).findAny().isPresent());

        try (TcpReceiver rx = new TcpReceiver(port)) {
            StreamSender second =
                    new StreamSender("t", config(port, spool), true, new HepWireFormat(HepSettings.v3(1)));
            second.start();
            assertTrue(rx.awaitPackets(100, 10000));
            for (int i = 100; i < 110; i++) second.send(numbered(i));
            assertTrue(second.drain(DRAIN));
            assertTrue(rx.awaitPackets(110, 5000));
            second.close();
            Thread.sleep(100);
            assertEquals(expected(0, 110), callIds(rx.packets));
            assertTrue(Files.list(spool).findAny().isEmpty(), "drained spool leaves no file");
            assertEquals(100, second.counters().get("from-earlier-spool"));
            assertEquals(110, second.counters().get("sent"));
            assertBalanced(second, 10);
        }
    }

    /** A run with the collector down throughout: its {@code n} packets stay in the spool for the next run. */
    private static StreamSender leaveInSpool(Path spool, int port, int n) {
        StreamSender first = new StreamSender("t", config(port, spool), true, new HepWireFormat(HepSettings.v3(1)));
        first.start();
        for (int i = 0; i < n; i++) first.send(numbered(i));
        assertTrue(first.drain(DRAIN)); // all of it spooled: nothing is pending while the collector is down
        first.close();
        return first;
    }

    /** The loss ledger's transport stage over this transport's counters, {@code offered} messages in. */
    private static void assertBalanced(StreamSender t, long offered) {
        LossLedger.Stage stage = LossLedger.transportStage(t.name(), offered, t.counters());
        assertTrue(stage.balanced(), stage + " from " + t.counters());
    }

    /** Run 1 spools while the collector is down and stops; run 2 sends that first, then its own: both stages balance. */
    @Test
    void a_spool_left_by_an_earlier_run_is_its_own_ledger_input() throws Exception {
        int port = freePort();
        Path spool = tmp.resolve("spool4");
        StreamSender first = leaveInSpool(spool, port, 9);
        assertBalanced(first, 9);
        assertEquals(0, first.counters().get("sent"));

        try (TcpReceiver rx = new TcpReceiver(port)) {
            StreamSender second =
                    new StreamSender("t", config(port, spool), true, new HepWireFormat(HepSettings.v3(1)));
            second.start();
            for (int i = 9; i < 20; i++) second.send(numbered(i));
            assertTrue(second.drain(DRAIN));
            assertTrue(rx.awaitPackets(20, 5000));
            second.close();
            assertEquals(expected(0, 20), callIds(rx.packets));
            Map<String, Long> c = second.counters();
            assertEquals(9, c.get("from-earlier-spool"), c::toString);
            // while the spool holds anything, new packets queue up behind it (capture order)
            assertEquals(c.get("spooled") + 9, c.get("replayed"), c::toString);
            assertEquals(20, c.get("sent"), c::toString);
            LossLedger.Stage stage = LossLedger.transportStage("t", 11, c);
            assertEquals(20, stage.in(), "11 offered + 9 from the earlier spool: " + stage);
            assertTrue(stage.balanced(), stage::toString);
        }
    }

    /** Collector down for the whole second run too: what it inherited stays pending in the spool, still balanced. */
    @Test
    void an_inherited_spool_not_yet_sent_is_pending_not_lost() throws Exception {
        int port = freePort();
        Path spool = tmp.resolve("spool5");
        leaveInSpool(spool, port, 7);
        StreamSender second = new StreamSender("t", config(port, spool), true, new HepWireFormat(HepSettings.v3(1)));
        second.start();
        for (int i = 7; i < 10; i++) second.send(numbered(i));
        assertTrue(second.drain(DRAIN));
        second.close();
        LossLedger.Stage stage = LossLedger.transportStage("t", 3, second.counters());
        assertEquals(10, stage.losses().get("spool-pending"), stage::toString);
        assertTrue(stage.balanced(), stage::toString);
    }

    @Test
    void connection_loss_is_noticed_and_later_packets_are_spooled_and_delivered() throws Exception {
        int port = freePort();
        Path spool = tmp.resolve("spool3");
        StreamSender t = new StreamSender("t", config(port, spool), false, new HepWireFormat(HepSettings.v3(1)));
        TcpReceiver rx = new TcpReceiver(port);
        t.start();
        for (int i = 0; i < 50; i++) t.send(numbered(i));
        assertTrue(rx.awaitPackets(50, 5000));
        rx.close();
        long deadline = System.currentTimeMillis() + 5000;
        while (t.healthy() && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertFalse(t.healthy(), "loss noticed");
        for (int i = 50; i < 80; i++) t.send(numbered(i));
        try (TcpReceiver rx2 = new TcpReceiver(port)) {
            assertTrue(rx2.awaitPackets(30, 10000));
            t.close();
            assertEquals(expected(50, 80), callIds(rx2.packets));
        }
    }

    @Test
    void full_queue_while_down_without_spool_counts_drops() throws Exception {
        int port = freePort();
        StreamConfig c = new StreamConfig(
                "tcp",
                "127.0.0.1",
                port,
                4,
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                true,
                0,
                null,
                0,
                null);
        StreamSender t = new StreamSender("t", c, false, new HepWireFormat(HepSettings.v3(1)));
        t.start();
        // until the first connection attempt has failed (bounded)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.healthy() && System.nanoTime() < deadline) Thread.sleep(10);
        assertFalse(t.healthy(), "the collector is down");
        int ok = 0;
        for (int i = 0; i < 20; i++) if (t.send(numbered(i))) ok++;
        assertTrue(ok <= 4 + 1, "bounded queue: " + ok);
        assertEquals(20 - ok, t.counters().get("dropped"));
        try (TcpReceiver rx = new TcpReceiver(port)) {
            assertTrue(rx.awaitPackets(ok, 10000), "queued packets go out once the collector is up");
            t.close();
        }
    }

    /** Waits (bounded) until the collector has failed to connect: packets then go to the spool. */
    private static void awaitDown(StreamSender t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.healthy() && System.nanoTime() < deadline) Thread.sleep(10);
        assertFalse(t.healthy(), "the collector should be seen down");
    }

    /** A spool that cannot be written (its folder replaced by a file) loses the packets: counted once, never left as queued. */
    @Test
    void a_spool_write_failure_is_a_counted_loss_not_queued_for_ever() throws Exception {
        int port = freePort();
        Path spool = tmp.resolve("spool-gone");
        StreamSender t = new StreamSender("t", config(port, spool), false, new HepWireFormat(HepSettings.v3(1)));
        t.start();
        try {
            awaitDown(t);
            Files.delete(spool); // opened empty at start: no segment file yet
            Files.writeString(spool, "not a folder");
            for (int i = 0; i < 5; i++) t.send(numbered(i));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (t.counters().get("queued") > 0 && System.nanoTime() < deadline) Thread.sleep(10);
            Map<String, Long> c = t.counters();
            assertEquals(0L, c.get("queued"), c.toString());
            assertEquals(5L, c.get("spool-write-failed"), c.toString());
            assertEquals(0L, c.get("dropped"), "counted once, as spool-write-failed: " + c);
            assertBalanced(t, 5);
        } finally {
            t.close();
        }
    }

    /** Open files of this process under {@code dir}, from /proc/self/fd (Linux). */
    private static long openFilesUnder(Path dir) throws Exception {
        long n = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).startsWith(dir)) n++;
                } catch (java.io.IOException gone) {
                    // closed while listing
                }
            }
        }
        return n;
    }

    /** Even when the sender thread is busy past close's wait, the spool gets closed (its files too). */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void close_closes_the_spool_even_when_the_sender_thread_is_busy() throws Exception {
        int port = freePort();
        Path spool = tmp.resolve("spool-busy");
        StreamSender t = new StreamSender("t", config(port, spool), false, new HepWireFormat(HepSettings.v3(1)));
        t.start();
        awaitDown(t);
        for (int i = 0; i < 3; i++) t.send(numbered(i));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.counters().get("buffered") < 3 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(3L, t.counters().get("buffered"));
        assertTrue(openFilesUnder(spool) > 0, "the spool writes a segment");
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        t.eventLoop().execute(() -> {
            try {
                busy.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.close(); // gives up waiting for the busy thread
        busy.countDown();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (openFilesUnder(spool) > 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(0, openFilesUnder(spool), "spool files still open after close");
    }
}
