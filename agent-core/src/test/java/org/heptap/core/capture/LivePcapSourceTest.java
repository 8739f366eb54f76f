package org.heptap.core.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

class LivePcapSourceTest {

    @ParameterizedTest(name = "direct read {0}, nanosecond handle {1}")
    @CsvSource({"true, false", "true, true", "false, false", "false, true"})
    void next_maps_pcap_reads_onto_frames_like_the_file_reader(boolean direct, boolean nanos) throws Exception {
        // an offline handle runs the same pcap_next_ex path as a live one
        String file = "sip-udp-nsec.pcap";
        PcapHandle handle = Pcaps.openOffline(
                TestCorpus.file(file).toString(),
                nanos ? PcapHandle.TimestampPrecision.NANO : PcapHandle.TimestampPrecision.MICRO);
        try (LivePcapSource live = new LivePcapSource(handle, "offline", direct);
                PcapFileSource ref = PcapFileSource.open(TestCorpus.file(file))) {
            assertEquals(direct, live.readsDirect(), "the direct binding works on this platform");
            Frame a = new Frame();
            Frame b = new Frame();
            int n = 0;
            while (ref.next(b) == PacketSource.PACKET) {
                assertEquals(PacketSource.PACKET, live.next(a), "frame " + (n + 1));
                assertArrayEquals(
                        Arrays.copyOfRange(b.data, b.offset, b.offset + b.length),
                        Arrays.copyOfRange(a.data, a.offset, a.offset + a.length));
                assertEquals(b.timestampMicros, a.timestampMicros, "µs timestamp of frame " + (n + 1));
                if (nanos) assertEquals(b.timestampNanos, a.timestampNanos, "ns timestamp of frame " + (n + 1));
                else assertEquals(b.timestampMicros * 1000, a.timestampNanos);
                assertEquals(nanos, a.nanosecondTime);
                assertEquals(b.linkType, a.linkType);
                assertEquals(b.wireLength, a.wireLength);
                n++;
            }
            assertEquals(35, n);
            assertEquals(PacketSource.END, live.next(a));
            assertEquals(PacketSource.END, live.next(a), "END stays END");
            assertEquals(new CaptureStats(0, 0, 0), live.stats(), "offline handles have no counters");
        }
    }

    @Test
    void direct_read_copies_into_the_frame_and_allocates_nothing() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String file = TestCorpus.file("sip-udp-v4.pcap").toString();
        Frame f = new Frame();
        for (int round = 0; round < 3; round++) { // the first rounds load classes and warm up
            try (LivePcapSource src = new LivePcapSource(Pcaps.openOffline(file), "offline")) {
                assertTrue(src.readsDirect());
                assertEquals(PacketSource.PACKET, src.next(f));
                byte[] buffer = f.data;
                int n = 0;
                long before = threads.getCurrentThreadAllocatedBytes();
                while (src.next(f) == PacketSource.PACKET) n++;
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(n > 20, "frames in " + file + ": " + n);
                assertSame(buffer, f.data, "the frame's buffer is reused, not replaced");
                if (round == 2) assertTrue(allocated < 256, allocated + " bytes allocated reading " + n + " frames");
            }
        }
        // a frame a file reader lent another array to (small, and at an offset) is copied into
        // the frame's own buffer again, from offset 0
        Frame lent = new Frame();
        byte[] window = new byte[8];
        lent.view(window, 3, 5);
        try (LivePcapSource src = new LivePcapSource(Pcaps.openOffline(file), "offline")) {
            assertEquals(PacketSource.PACKET, src.next(lent));
            assertNotSame(window, lent.data);
            assertEquals(0, lent.offset);
            assertTrue(lent.length > 8 && lent.data.length >= lent.length, lent.length + " in " + lent.data.length);
        }
    }

    @Test
    void options_are_validated() {
        assertThrows(IllegalArgumentException.class, () -> LivePcapSource.Options.forDevice(" "));
        assertThrows(
                IllegalArgumentException.class,
                () -> LivePcapSource.Options.forDevice("lo").withSnaplen(0));
        assertThrows(
                IllegalArgumentException.class,
                () -> LivePcapSource.Options.forDevice("lo").withTimeoutMillis(-1));
        LivePcapSource.Options o =
                LivePcapSource.Options.forDevice("any").withPromiscuous(true).withFilter((String) null);
        assertEquals(LinkFilter.NONE, o.filter());
        assertTrue(o.promiscuous());
        assertEquals(65535, o.snaplen());
    }

    @Test
    void missing_interface_lists_the_available_ones() {
        CaptureException e = assertThrows(
                CaptureException.class, () -> LivePcapSource.open(LivePcapSource.Options.forDevice("heptapnosuch0")));
        // unprivileged, libpcap fails on the socket before it looks for the device
        assumeTrue(e.reason() != CaptureException.Reason.PERMISSION_DENIED, "not allowed to capture here");
        assertEquals(CaptureException.Reason.NO_SUCH_DEVICE, e.reason(), e.getMessage());
        assertTrue(
                e.getMessage().startsWith("capture interface \"heptapnosuch0\" does not exist (libpcap: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("available: ") && e.getMessage().contains("lo"), e.getMessage());
    }

    @Test
    void permission_denied_names_the_fix() {
        CaptureException e =
                LivePcapSource.openError("eth0", new PcapNativeException("socket: Operation not permitted", -8));
        assertEquals(CaptureException.Reason.PERMISSION_DENIED, e.reason());
        assertTrue(
                e.getMessage()
                        .startsWith("no permission to capture on \"eth0\" (libpcap: socket: Operation not permitted)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("root"), e.getMessage());
        assertTrue(e.getMessage().contains("setcap cap_net_raw,cap_net_admin+eip"), e.getMessage());
        assertTrue(e.getMessage().contains("AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN"), e.getMessage());
        assertEquals(
                CaptureException.Reason.PERMISSION_DENIED,
                LivePcapSource.openError("eth0", new PcapNativeException("promisc", -11))
                        .reason());
        assertEquals(
                CaptureException.Reason.OTHER,
                LivePcapSource.openError("eth0", new PcapNativeException("down", -9))
                        .reason());
        assertEquals(
                "cannot capture on \"eth0\": odd",
                LivePcapSource.openError("eth0", new PcapNativeException("odd")).getMessage());
    }

    /** Opens lo, or skips the test where capturing is not allowed (not root, no CAP_NET_RAW). */
    static LivePcapSource openLo(LivePcapSource.Options o) throws CaptureException {
        try {
            return LivePcapSource.open(o);
        } catch (CaptureException e) {
            assumeTrue(e.reason() != CaptureException.Reason.PERMISSION_DENIED, e.getMessage());
            throw e;
        }
    }

    @Test
    void captures_udp_on_loopback() throws Exception {
        try (DatagramSocket rx = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket tx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = rx.getLocalPort();
            String filter =
                    BpfFilter.builder().port(port).userFilter("host 127.0.0.1").build();
            try (LivePcapSource src = openLo(LivePcapSource.Options.forDevice("lo")
                    .withImmediate(true)
                    .withTimeoutMillis(50)
                    .withBufferBytes(1 << 20)
                    .withFilter(filter))) {
                assertTrue(src.describe().startsWith("interface lo, filter \"" + filter + "\""), src.describe());
                // libpcap's read timeout does not fire on an idle interface, so a lost datagram would
                // block the read past the deadline: the watchdog ends it through close()
                CompletableFuture.delayedExecutor(10, TimeUnit.SECONDS).execute(src::close);
                for (int i = 0; i < 5; i++) {
                    byte[] p = ("OPTIONS sip:heptap-" + i + " SIP/2.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                    tx.send(new DatagramPacket(p, p.length, InetAddress.getLoopbackAddress(), port));
                }
                Frame f = new Frame();
                int got = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                long now = System.currentTimeMillis() * 1000;
                while (got < 5 && System.nanoTime() < deadline) {
                    int r = src.next(f);
                    if (r == PacketSource.TIMEOUT) continue;
                    assertEquals(
                            PacketSource.PACKET,
                            r,
                            "datagram " + got + " arrives before the watchdog closes the capture");
                    String text = new String(f.data, 0, f.length, StandardCharsets.ISO_8859_1);
                    assertTrue(text.endsWith("OPTIONS sip:heptap-" + got + " SIP/2.0\r\n\r\n"), text);
                    assertEquals(LinkTypes.ETHERNET, f.linkType);
                    assertTrue(
                            Math.abs(f.timestampMicros - now) < 10_000_000L,
                            "timestamp is now-ish: " + f.timestampMicros);
                    // Linux libpcap gives nanoseconds when asked: a pcap file of it keeps them
                    assertTrue(f.nanosecondTime, "a nanosecond live handle");
                    assertEquals(f.timestampMicros, f.timestampNanos / 1000);
                    got++;
                }
                assertEquals(5, got);
                assertTrue(src.stats().received() >= 5, src.stats().toString());
            }
        }
    }

    @ParameterizedTest(name = "direct read {0}")
    @ValueSource(booleans = {true, false})
    void returns_exactly_the_datagrams_sent_with_microsecond_timestamps(boolean direct) throws Exception {
        int count = 400;
        try (DatagramSocket rx = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket tx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = rx.getLocalPort();
            String filter =
                    BpfFilter.builder().port(port).userFilter("host 127.0.0.1").build();
            // not immediate: on lo (MTU 64 KiB) immediate mode's TPACKET_V2 ring has 64 KiB slots, so a
            // 4 MiB buffer holds only ~60 packets and this burst would overflow it
            try (LivePcapSource src = openLo(
                    LivePcapSource.Options.forDevice("lo")
                            .withImmediate(false)
                            .withTimeoutMillis(20)
                            .withBufferBytes(4 << 20)
                            .withFilter(filter),
                    direct)) {
                assertEquals(direct, src.readsDirect());
                // libpcap's read timeout does not fire on an idle interface: a lost packet would
                // block the read for good, so a watchdog ends the test through close()
                CompletableFuture.delayedExecutor(20, TimeUnit.SECONDS).execute(src::close);
                List<byte[]> sent = new ArrayList<>();
                long startMicros = System.currentTimeMillis() * 1000;
                for (int i = 0; i <= count; i++) {
                    String text = i == count
                            ? "END"
                            : "MESSAGE sip:heptap-" + i + " SIP/2.0\r\nX: " + "x".repeat(i % 97) + "\r\n\r\n";
                    byte[] p = text.getBytes(StandardCharsets.US_ASCII);
                    sent.add(p);
                    tx.send(new DatagramPacket(p, p.length, InetAddress.getLoopbackAddress(), port));
                }
                long endMicros = (System.currentTimeMillis() + 1) * 1000;
                Frame f = new Frame();
                int got = 0;
                long previous = 0;
                boolean subMillisecond = false;
                while (got <= count) { // the datagrams, then the END marker: nothing more, nothing less
                    int r = src.next(f);
                    if (r == PacketSource.TIMEOUT) continue;
                    assertEquals(
                            PacketSource.PACKET,
                            r,
                            "datagram " + got + " arrives before the watchdog closes the capture");
                    byte[] payload = sent.get(got);
                    int headers = 14 + 20 + 8; // Ethernet (lo), IPv4 without options, UDP
                    assertEquals(headers + payload.length, f.length, "datagram " + got);
                    assertEquals(f.length, f.wireLength, "datagram " + got + " was not cut");
                    assertArrayEquals(payload, Arrays.copyOfRange(f.data, headers, f.length), "datagram " + got);
                    assertEquals(LinkTypes.ETHERNET, f.linkType);
                    assertTrue(
                            f.timestampMicros >= startMicros && f.timestampMicros <= endMicros,
                            "timestamp " + f.timestampMicros + " of datagram " + got + " between " + startMicros
                                    + " and " + endMicros);
                    assertTrue(f.timestampMicros >= previous, "timestamps do not go back");
                    subMillisecond |= f.timestampMicros % 1000 != 0;
                    previous = f.timestampMicros;
                    got++;
                }
                assertTrue(subMillisecond, "timestamps have microsecond resolution");
                CaptureStats stats = src.stats();
                assertTrue(stats.received() >= count + 1 && stats.dropped() == 0, stats.toString());
            }
        }
    }

    @ParameterizedTest(name = "direct read {0}")
    @ValueSource(booleans = {true, false})
    void close_wakes_a_blocked_read(boolean direct) throws Exception {
        // timeout 0: libpcap would wait for a packet forever; the filter lets none through
        LivePcapSource src = openLo(
                LivePcapSource.Options.forDevice("lo")
                        .withTimeoutMillis(0)
                        .withFilter("udp and port 9 and host 127.0.0.254"),
                direct);
        assertEquals(direct, src.readsDirect());
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return src.next(new Frame());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(300);
        assertTrue(!read.isDone(), "the read is blocked");
        CaptureStats beforeClose = src.stats(); // the agent reads the counters right before it closes
        long t0 = System.nanoTime();
        src.close();
        assertEquals(PacketSource.END, read.get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
        assertEquals(PacketSource.END, src.next(new Frame()));
        assertTrue(src.stats().received() >= beforeClose.received(), "counters survive the close");
        src.close(); // twice is harmless
    }

    @Test
    void close_races_with_reads_and_stats_under_traffic() throws Exception {
        // close lands at random points of the read cycle (inside pcap_next_ex, between two reads,
        // while a packet is copied); pcap_close must never run under a read, and every read ends
        try (DatagramSocket tx = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = tx.getLocalPort() + 1;
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread sender = new Thread(
                    () -> {
                        byte[] p = "OPTIONS sip:race SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                        DatagramPacket d = new DatagramPacket(p, p.length, InetAddress.getLoopbackAddress(), port);
                        while (sending.get()) {
                            try {
                                tx.send(d);
                            } catch (Exception e) {
                                return;
                            }
                        }
                    },
                    "race-sender");
            sender.start();
            long readInAll = 0;
            try {
                for (int round = 0; round < 30; round++) {
                    LivePcapSource src = openLo(
                            LivePcapSource.Options.forDevice("lo")
                                    .withImmediate(round % 2 == 0)
                                    .withTimeoutMillis(5)
                                    .withBufferBytes(1 << 20)
                                    .withFilter("udp and dst port " + port),
                            round % 3 != 2);
                    AtomicLong packets = new AtomicLong();
                    CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
                        Frame f = new Frame();
                        try {
                            int r;
                            while ((r = src.next(f)) != PacketSource.END)
                                if (r == PacketSource.PACKET) packets.incrementAndGet();
                            return r;
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    CompletableFuture<Void> statsPoller = CompletableFuture.runAsync(() -> {
                        while (!reader.isDone()) src.stats();
                    });
                    Thread.sleep(ThreadLocalRandom.current().nextInt(1, 20));
                    src.close();
                    assertEquals(PacketSource.END, reader.get(5, TimeUnit.SECONDS), "round " + round);
                    statsPoller.get(5, TimeUnit.SECONDS);
                    assertEquals(PacketSource.END, src.next(new Frame()));
                    // the kernel counted at least what the reader got, and the count survives the close
                    CaptureStats after = src.stats();
                    assertTrue(
                            after.received() >= packets.get(),
                            "round " + round + ": " + after + ", read " + packets.get());
                    readInAll += packets.get();
                }
                assertTrue(readInAll > 0, "the sender's datagrams were captured in some round");
            } finally {
                sending.set(false);
                sender.join(5000);
            }
        }
    }

    static LivePcapSource openLo(LivePcapSource.Options o, boolean direct) throws CaptureException {
        try {
            return LivePcapSource.open(o, direct);
        } catch (CaptureException e) {
            assumeTrue(e.reason() != CaptureException.Reason.PERMISSION_DENIED, e.getMessage());
            throw e;
        }
    }
}
