package org.heptap.transport;

import static org.heptap.core.testing.Threads.awaitBlocked;
import static org.heptap.hep.TestMessages.*;
import static org.junit.jupiter.api.Assertions.*;

import io.netty.channel.epoll.Epoll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.heptap.core.message.Message;
import org.heptap.core.spi.ModuleHooks;
import org.heptap.core.testing.UdpReceiver;
import org.heptap.hep.codec.HepDecodeResult;
import org.heptap.hep.codec.HepDecoder;
import org.heptap.hep.codec.HepPacket;
import org.heptap.hep.codec.HepSettings;
import org.heptap.hep.transport.HepWireFormat;
import org.heptap.transport.UdpConfig.NativeMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class HepTransportTest {
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private UdpReceiver receiver;
    private UdpSender transport;
    private final HepDecoder decoder = new HepDecoder();

    @AfterEach
    void tearDown() throws Exception {
        if (transport != null) transport.close();
        if (receiver != null) receiver.close();
        decoder.close();
    }

    private UdpSender open(
            String host, HepSettings hep, int queueSize, boolean batch, NativeMode nativeMode, boolean offline)
            throws Exception {
        receiver = new UdpReceiver(host);
        transport = new UdpSender(
                "test",
                new UdpConfig(host, receiver.port(), queueSize, batch, nativeMode),
                offline,
                new HepWireFormat(hep),
                DatagramBufferPool.of(new ModuleHooks()));
        return transport;
    }

    private static Message numbered(int i) {
        return sip(4, "MESSAGE sip:" + i + "@example.com SIP/2.0\r\nCall-ID: n" + i + "\r\n\r\n");
    }

    private static long counter(UdpSender t, String name) {
        return t.counters().get(name);
    }

    /**
     * Sends {@code n} messages and waits until the receiver has them all: in steps of 100, so a
     * slow receiver's socket buffer cannot overflow on a busy machine.
     */
    private void sendInSteps(UdpSender t, int n, java.util.function.IntFunction<Message> message) throws Exception {
        for (int i = 0; i < n; i++) {
            assertTrue(t.send(message.apply(i)));
            if (i % 100 == 99) {
                assertTrue(t.drain(DRAIN));
                assertEquals(i + 1, receiver.await(i + 1, 10_000));
            }
        }
        assertTrue(t.drain(DRAIN));
        assertEquals(n, receiver.await(n, 10_000));
    }

    /** Blocks the sender thread until the latch opens: the queue then fills deterministically. */
    private static CountDownLatch blockSender(UdpSender t) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        t.eventLoop().execute(() -> {
            blocked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(blocked.await(5, TimeUnit.SECONDS));
        return release;
    }

    @ParameterizedTest(name = "native={0} batch={1}")
    @CsvSource({"TRUE,true", "TRUE,false", "FALSE,true", "FALSE,false"})
    void everyMessageArrivesAndIsCounted(NativeMode nativeMode, boolean batch) throws Exception {
        Assumptions.assumeTrue(nativeMode != NativeMode.TRUE || Epoll.isAvailable(), "epoll not available");
        UdpSender t =
                open("127.0.0.1", new HepSettings(3, 2001, "pw", "node1", false), 65536, batch, nativeMode, false);
        t.start();
        assertEquals(nativeMode == NativeMode.TRUE, t.usingEpoll());
        int n = 1000;
        long bytes = 0;
        sendInSteps(t, n, HepTransportTest::numbered);
        Set<String> seen = new HashSet<>();
        for (byte[] d : receiver.datagrams()) {
            HepDecodeResult r = decoder.decode(d);
            assertTrue(r.ok(), r.detail());
            HepPacket p = r.packet();
            assertEquals(2001, p.captureId());
            assertEquals("pw", p.password());
            assertEquals("node1", p.nodeName());
            assertEquals(TIME_MICROS, p.timestampMicros());
            seen.add(p.payloadText());
            bytes += d.length;
        }
        assertEquals(n, seen.size(), "every message once");
        Map<String, Long> c = t.counters();
        assertEquals(
                Map.of(
                        "sent",
                        (long) n,
                        "bytes",
                        bytes,
                        "queued",
                        0L,
                        "dropped",
                        0L,
                        "oversize",
                        0L,
                        "send-failed",
                        0L),
                c);
        assertEquals(List.of("sent", "bytes", "queued", "dropped", "oversize", "send-failed"), List.copyOf(c.keySet()));
    }

    @Test
    void ipv6Collector() throws Exception {
        UdpSender t;
        try {
            t = open("::1", HepSettings.v3(7), 1024, true, NativeMode.AUTO, false);
        } catch (java.net.SocketException e) {
            Assumptions.abort("no IPv6 loopback: " + e.getMessage());
            return;
        }
        t.start();
        t.send(sipV6());
        t.send(sipV4()); // the packet's own addresses do not matter to the socket
        assertTrue(t.drain(DRAIN));
        assertEquals(2, receiver.await(2, 5000));
        assertEquals(2, counter(t, "sent"));
        assertTrue(t.describe().startsWith("hep v3 udp [::1]:" + receiver.port() + " capture-id 7"), t.describe());
    }

    @Test
    void compressedProfileUsesOneEncoderPerThread() throws Exception {
        UdpSender t = open("127.0.0.1", new HepSettings(3, 1, null, null, true), 4096, true, NativeMode.AUTO, false);
        t.start();
        int threads = 4, each = 25, rounds = 4;
        // in rounds, so a stalled receiver's socket buffer (capped at rmem_max) cannot overflow
        for (int round = 0; round < rounds; round++) {
            Thread[] workers = new Thread[threads];
            for (int w = 0; w < threads; w++) {
                int base = (round * threads + w) * each;
                workers[w] = new Thread(() -> {
                    for (int i = 0; i < each; i++) t.send(numbered(base + i));
                });
                workers[w].start();
            }
            for (Thread w : workers) w.join();
            assertTrue(t.drain(DRAIN));
            int sent = (round + 1) * threads * each;
            assertEquals(sent, receiver.await(sent, 10_000), "round " + round);
        }
        Set<String> seen = new HashSet<>();
        for (byte[] d : receiver.datagrams()) {
            HepPacket p = decoder.decode(d).packet();
            assertTrue(p.compressed());
            seen.add(p.payloadText());
        }
        assertEquals(rounds * threads * each, seen.size());
        assertEquals(0, counter(t, "dropped"));
    }

    @Test
    void onlineFullQueueDropsAndCounts() throws Exception {
        UdpSender t = open("127.0.0.1", HepSettings.v3(1), 4, true, NativeMode.AUTO, false);
        t.start();
        int freeBefore = t.buffers().free(); // pools are shared by a configuration's senders: compare, not assume full
        CountDownLatch release = blockSender(t);
        int accepted = 0;
        for (int i = 0; i < 20; i++) if (t.send(numbered(i))) accepted++;
        assertEquals(4, accepted, "queue of 4");
        assertEquals(16, counter(t, "dropped"));
        assertEquals(4, counter(t, "queued"));
        assertFalse(t.drain(Duration.ofMillis(50)), "the sender is blocked");
        release.countDown();
        assertTrue(t.drain(DRAIN));
        assertEquals(4, receiver.await(4, 5000));
        assertEquals(4, counter(t, "sent"));
        assertEquals(0, counter(t, "queued"));
        assertEquals(16, counter(t, "dropped"));
        assertEquals(freeBefore, t.buffers().free(), "sent and dropped datagrams gave their slots back");
    }

    @Test
    void datagramsGoOutOfReusedSlotsIntactAndEverySlotComesBack() throws Exception {
        UdpSender t = open("127.0.0.1", HepSettings.v3(7), 65536, true, NativeMode.AUTO, false);
        t.start();
        int slots = t.buffers().slots();
        int freeBefore = t.buffers().free(); // pools are shared by a configuration's senders: compare, not assume full
        int n = 3 * slots + 1; // every slot used several times
        List<String> sent = new java.util.ArrayList<>();
        sendInSteps(t, n, i -> {
            // sizes around a slot: most fit, every 50th (about 3 KB) is served outside the pool
            String body = "x".repeat(i % 50 == 49 ? 3000 : (i * 37) % 1500);
            String text = "MESSAGE sip:" + i + "@example.com SIP/2.0\r\nCall-ID: s" + i + "\r\n\r\n" + body;
            sent.add(text);
            return sip(4, text);
        });
        // read off the wire without our decoder: HEP3 puts the payload last, so each datagram must
        // end with exactly one message's bytes, and its length field must be the datagram's
        Set<String> got = new HashSet<>();
        Set<String> expected = new HashSet<>(sent);
        for (byte[] d : receiver.datagrams()) {
            assertEquals(d.length, ((d[4] & 0xff) << 8) | (d[5] & 0xff), "HEP3 total length");
            String text = new String(d, StandardCharsets.US_ASCII);
            int at = text.indexOf("MESSAGE sip:");
            assertTrue(at > 0, "a payload after the head");
            String payload = text.substring(at);
            assertTrue(expected.contains(payload), () -> "a datagram ends with no message sent: " + payload);
            got.add(payload);
        }
        assertEquals(expected, got, "every message arrived as sent, none overwritten by a reused slot");
        assertEquals(freeBefore, t.buffers().free(), "every slot came back after its send");
    }

    @Test
    void offlineFullQueueWaitsInsteadOfDropping() throws Exception {
        UdpSender t = open("127.0.0.1", HepSettings.v3(1), 2, true, NativeMode.AUTO, true);
        t.start();
        CountDownLatch release = blockSender(t);
        AtomicInteger done = new AtomicInteger();
        Thread pipeline = new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                if (t.send(numbered(i))) done.incrementAndGet();
            }
        });
        pipeline.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (done.get() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
        awaitBlocked(pipeline);
        assertTrue(pipeline.isAlive(), "send waits for queue space");
        assertEquals(2, done.get());
        assertEquals(0, counter(t, "dropped"));
        release.countDown();
        pipeline.join(20_000);
        assertFalse(pipeline.isAlive());
        assertEquals(300, done.get());
        assertTrue(t.drain(DRAIN));
        assertEquals(300, counter(t, "sent"));
        assertEquals(0, counter(t, "dropped"));
        assertEquals(300, receiver.await(300, 10_000));
    }

    @Test
    void offlineWaitEndsWhenTheTransportCloses() throws Exception {
        UdpSender t = open("127.0.0.1", HepSettings.v3(1), 2, true, NativeMode.AUTO, true);
        t.start();
        CountDownLatch release = blockSender(t);
        Thread pipeline = new Thread(() -> {
            for (int i = 0; i < 5; i++) t.send(numbered(i));
        });
        pipeline.start();
        awaitBlocked(pipeline);
        assertTrue(pipeline.isAlive());
        Thread closer = new Thread(t::close);
        closer.start();
        awaitBlocked(closer);
        release.countDown();
        closer.join(10_000);
        pipeline.join(10_000);
        assertFalse(pipeline.isAlive());
        assertEquals(0, counter(t, "queued"));
        assertEquals(5, counter(t, "dropped") + counter(t, "sent"), t.counters().toString());
    }

    @Test
    void closeCountsWhatIsStillQueuedAsDropped() throws Exception {
        UdpSender t = open("127.0.0.1", HepSettings.v3(1), 16, true, NativeMode.AUTO, false);
        t.start();
        int freeBefore = t.buffers().free();
        CountDownLatch release = blockSender(t);
        for (int i = 0; i < 3; i++) assertTrue(t.send(numbered(i)));
        // the sender may go on only once close has marked the transport closed (close blocks only
        // after that, waiting for the sender thread); released sooner, it would send the three
        Thread closer = new Thread(t::close);
        closer.start();
        awaitBlocked(closer);
        release.countDown();
        closer.join(10_000);
        assertFalse(closer.isAlive(), "close returned");
        Map<String, Long> c = t.counters();
        assertEquals(0, c.get("sent"));
        assertEquals(3, c.get("dropped"));
        assertEquals(0, c.get("queued"));
        assertFalse(t.send(numbered(9)), "closed");
        assertEquals(4, counter(t, "dropped"));
        assertEquals(freeBefore, t.buffers().free(), "what close dropped gave its slots back");
    }

    @Test
    void oversizePacketIsCountedNotSent() throws Exception {
        UdpSender t = open("127.0.0.1", HepSettings.v3(1), 16, true, NativeMode.AUTO, false);
        t.start();
        Message big = sip(4, "x".repeat(65_450)); // 99 + 65450 > 65507
        assertFalse(t.send(big));
        assertTrue(t.send(sipV4()));
        assertTrue(t.drain(DRAIN));
        assertEquals(1, receiver.await(1, 5000));
        Map<String, Long> c = t.counters();
        assertEquals(1, c.get("oversize"));
        assertEquals(1, c.get("sent"));
        assertEquals(0, c.get("dropped"));
    }

    @Test
    void rawSendsThePayloadAlone() throws Exception {
        UdpSender t = open("127.0.0.1", HepSettings.v3(1), 16, true, NativeMode.AUTO, false);
        t.start();
        assertTrue(t.sendRaw(sipV4()));
        assertTrue(t.drain(DRAIN));
        assertEquals(1, receiver.await(1, 5000));
        assertEquals(OPTIONS, new String(receiver.datagrams().get(0), StandardCharsets.US_ASCII));
    }

    @Test
    void messagesSentBeforeStartGoOutAtStart() throws Exception {
        UdpSender t = open("127.0.0.1", new HepSettings(2, 5, null, null, false), 16, true, NativeMode.AUTO, false);
        assertTrue(t.send(sipV4()));
        assertEquals(1, counter(t, "queued"));
        t.start();
        assertTrue(t.drain(DRAIN));
        assertEquals(1, receiver.await(1, 5000));
        assertEquals(2, decoder.decode(receiver.datagrams().get(0)).packet().version());
    }

    @Test
    void unresolvableHostFailsAtStartWithTheName() {
        UdpSender t = new UdpSender(
                "hepsocket",
                new UdpConfig("no-such-host.invalid", 9060, 16, true, NativeMode.AUTO),
                false,
                new HepWireFormat(HepSettings.v3(1)),
                DatagramBufferPool.of(new ModuleHooks()));
        IllegalStateException e = assertThrows(IllegalStateException.class, t::start);
        assertTrue(
                e.getMessage().contains("hepsocket") && e.getMessage().contains("no-such-host.invalid"),
                e.getMessage());
        t.close();
    }

    @Test
    void describeNamesTheCollectorButNeverThePassword() {
        UdpSender t = new UdpSender(
                "h",
                new UdpConfig("127.0.0.1", 9060, 16, true, NativeMode.AUTO),
                false,
                new HepWireFormat(new HepSettings(3, 2001, "secret", "", false)),
                DatagramBufferPool.of(new ModuleHooks()));
        assertEquals("hep v3 udp 127.0.0.1:9060 capture-id 2001", t.describe());
        UdpSender c = new UdpSender(
                "h",
                new UdpConfig("collector", 9061, 16, true, NativeMode.AUTO),
                false,
                new HepWireFormat(new HepSettings(3, 1, "secret", "n1", true)),
                DatagramBufferPool.of(new ModuleHooks()));
        assertEquals("hep v3 udp collector:9061 capture-id 1 node-name n1 compressed", c.describe());
        assertFalse(c.describe().contains("secret"));
        t.close();
        c.close();
    }
}
