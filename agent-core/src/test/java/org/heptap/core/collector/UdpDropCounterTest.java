package org.heptap.core.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UdpDropCounterTest {
    private static final List<String> TABLE = List.of(
            "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
            "  123: 0100007F:2384 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4242 2 0000000000000000 17",
            "  124: 0200007F:2384 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4343 2 0000000000000000 5",
            "  125: 00000000:2384 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 9999 2 0000000000000000 99");

    @Test
    void finds_the_socket_of_this_process_by_port_and_address_then_reads_its_drops() throws Exception {
        InetSocketAddress second = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0x2384);
        assertEquals("0200007F", UdpDropCounter.procAddress(second));
        assertEquals("4343", UdpDropCounter.findInode(TABLE, second, Set.of("4242", "4343")));
        assertEquals(
                "4242",
                UdpDropCounter.findInode(
                        TABLE, new InetSocketAddress(InetAddress.getByName("127.0.0.9"), 0x2384), Set.of("4242")),
                "one of ours on the port: that one");
        assertNull(UdpDropCounter.findInode(TABLE, second, Set.of("1")), "another process's socket is not ours");
        assertEquals(5L, UdpDropCounter.drops(TABLE, "4343"));
        assertNull(UdpDropCounter.drops(TABLE, "1"));
    }

    @Test
    void counts_what_the_kernel_drops_on_a_full_socket() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/udp")), "Linux");
        try (DatagramChannel rx = DatagramChannel.open();
                DatagramChannel tx = DatagramChannel.open()) {
            rx.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            rx.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            UdpDropCounter counter = UdpDropCounter.of((InetSocketAddress) rx.getLocalAddress());
            assertNotNull(counter);
            assertEquals(0, counter.read());
            int sent = 300;
            for (int i = 0; i < sent; i++) tx.send(ByteBuffer.wrap(new byte[1000]), rx.getLocalAddress());
            rx.configureBlocking(false);
            ByteBuffer b = ByteBuffer.allocate(2000);
            int received = 0;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received + counter.read() < sent && System.nanoTime() < deadline) {
                b.clear();
                if (rx.receive(b) != null) received++;
                else Thread.sleep(10);
            }
            assertTrue(counter.last() > 0, "a 4 KB buffer cannot hold 300 KB: some dropped");
            assertEquals(sent, received + counter.last(), "every datagram received or counted as dropped");
        }
    }
}
