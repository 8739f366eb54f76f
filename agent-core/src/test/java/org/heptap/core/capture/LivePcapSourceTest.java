package org.heptap.core.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

class LivePcapSourceTest {

    @Test
    void next_maps_pcap4j_reads_onto_frames_like_the_file_reader() throws Exception {
        // an offline handle runs the same pcap_next_ex path as a live one
        String file = "sip-udp-nsec.pcap";
        try (LivePcapSource live = new LivePcapSource(Pcaps.openOffline(TestCorpus.file(file).toString()), "offline");
             PcapFileSource ref = PcapFileSource.open(TestCorpus.file(file))) {
            Frame a = new Frame();
            Frame b = new Frame();
            int n = 0;
            while (ref.next(b) == PacketSource.PACKET) {
                assertEquals(PacketSource.PACKET, live.next(a), "frame " + (n + 1));
                assertArrayEquals(Arrays.copyOf(b.data, b.length), Arrays.copyOf(a.data, a.length));
                assertEquals(b.timestampMicros, a.timestampMicros, "µs timestamp of frame " + (n + 1));
                assertEquals(b.linkType, a.linkType);
                assertEquals(b.wireLength, a.wireLength);
                n++;
            }
            assertEquals(35, n);
            assertEquals(PacketSource.END, live.next(a));
            assertEquals(new CaptureStats(0, 0, 0), live.stats(), "offline handles have no counters");
        }
    }

    @Test
    void options_are_validated() {
        assertThrows(IllegalArgumentException.class, () -> LivePcapSource.Options.forDevice(" "));
        assertThrows(IllegalArgumentException.class, () -> LivePcapSource.Options.forDevice("lo").withSnaplen(0));
        assertThrows(IllegalArgumentException.class, () -> LivePcapSource.Options.forDevice("lo").withTimeoutMillis(-1));
        LivePcapSource.Options o = LivePcapSource.Options.forDevice("any").withPromiscuous(true).withFilter(null);
        assertEquals("", o.filter());
        assertTrue(o.promiscuous());
        assertEquals(65535, o.snaplen());
    }

    @Test
    void missing_interface_lists_the_available_ones() {
        CaptureException e = assertThrows(CaptureException.class,
                () -> LivePcapSource.open(LivePcapSource.Options.forDevice("heptapnosuch0")));
        // unprivileged, libpcap fails on the socket before it looks for the device
        assumeTrue(e.reason() != CaptureException.Reason.PERMISSION_DENIED, "not allowed to capture here");
        assertEquals(CaptureException.Reason.NO_SUCH_DEVICE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("capture interface \"heptapnosuch0\" does not exist (libpcap: "), e.getMessage());
        assertTrue(e.getMessage().contains("available: ") && e.getMessage().contains("lo"), e.getMessage());
    }

    @Test
    void permission_denied_names_the_fix() {
        CaptureException e = LivePcapSource.openError("eth0", new PcapNativeException("socket: Operation not permitted", -8));
        assertEquals(CaptureException.Reason.PERMISSION_DENIED, e.reason());
        assertTrue(e.getMessage().startsWith("no permission to capture on \"eth0\" (libpcap: socket: Operation not permitted)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("root"), e.getMessage());
        assertTrue(e.getMessage().contains("setcap cap_net_raw,cap_net_admin+eip"), e.getMessage());
        assertTrue(e.getMessage().contains("AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN"), e.getMessage());
        assertEquals(CaptureException.Reason.PERMISSION_DENIED,
                LivePcapSource.openError("eth0", new PcapNativeException("promisc", -11)).reason());
        assertEquals(CaptureException.Reason.OTHER,
                LivePcapSource.openError("eth0", new PcapNativeException("down", -9)).reason());
        assertEquals("cannot capture on \"eth0\": odd", LivePcapSource.openError("eth0", new PcapNativeException("odd")).getMessage());
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
            String filter = BpfFilter.builder().port(port).userFilter("host 127.0.0.1").build();
            try (LivePcapSource src = openLo(LivePcapSource.Options.forDevice("lo").withImmediate(true)
                    .withTimeoutMillis(50).withBufferBytes(1 << 20).withFilter(filter))) {
                assertTrue(src.describe().startsWith("interface lo, filter \"" + filter + "\""), src.describe());
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
                    assertEquals(PacketSource.PACKET, r);
                    String text = new String(f.data, 0, f.length, StandardCharsets.ISO_8859_1);
                    assertTrue(text.endsWith("OPTIONS sip:heptap-" + got + " SIP/2.0\r\n\r\n"), text);
                    assertEquals(LinkTypes.ETHERNET, f.linkType);
                    assertTrue(Math.abs(f.timestampMicros - now) < 10_000_000L, "timestamp is now-ish: " + f.timestampMicros);
                    got++;
                }
                assertEquals(5, got);
                assertTrue(src.stats().received() >= 5, src.stats().toString());
            }
        }
    }

    @Test
    void close_wakes_a_blocked_read() throws Exception {
        // timeout 0: libpcap would wait for a packet forever; the filter lets none through
        LivePcapSource src = openLo(LivePcapSource.Options.forDevice("lo").withTimeoutMillis(0)
                .withFilter("udp and port 9 and host 127.0.0.254"));
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return src.next(new Frame());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(300);
        assertTrue(!read.isDone(), "the read is blocked");
        long t0 = System.nanoTime();
        src.close();
        assertEquals(PacketSource.END, read.get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
        assertEquals(PacketSource.END, src.next(new Frame()));
        src.close(); // twice is harmless
    }
}
