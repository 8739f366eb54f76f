package org.heptap.hep.transport;

import static org.heptap.hep.TestMessages.OPTIONS;
import static org.heptap.hep.TestMessages.sip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.heptap.hep.codec.HepSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Closing a stream transport releases its spool's files, whatever state its collector and sender thread are in. */
@Timeout(60)
class SpoolHandleTest {
    @TempDir Path tmp;

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static StreamConfig config(int port, Path spool, StreamSecurity security) {
        return new StreamConfig("tcp", "127.0.0.1", port, HepSettings.v3(1), 1024, Duration.ofSeconds(2),
                Duration.ofMillis(50), Duration.ofMillis(200), true, 0, spool, 10 << 20, security);
    }

    /** This process's open file descriptors that point into {@code dir}. */
    private static List<String> openUnder(Path dir) throws IOException {
        String prefix = dir.toRealPath().toString();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    return ""; // closed while listing (the listing's own descriptor)
                }
            }).filter(target -> target.startsWith(prefix)).toList();
        }
    }

    private static List<String> awaitClosed(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<String> open = openUnder(dir);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            open = openUnder(dir);
        }
        return open;
    }

    /** Spools {@code n} packets while the collector is down; the spool then holds an open segment. */
    private static void spool(HepStreamTransport t, Path spool, int n) throws IOException {
        for (int i = 0; i < n; i++) t.send(sip(4, OPTIONS.replace("c1@", "n" + i + "@")));
        assertTrue(t.drain(Duration.ofSeconds(10)), "the collector is down: everything goes to the spool");
        assertEquals(n, t.counters().get("spooled"), t.counters()::toString);
        assertFalse(openUnder(spool).isEmpty(), "the spool writes a segment while the collector is down");
    }

    @Test
    void a_transport_closed_while_its_collector_is_down_closes_its_spool_files() throws Exception {
        Path spool = tmp.resolve("spool");
        HepStreamTransport t = new HepStreamTransport("t", config(closedPort(), spool, null), true);
        t.start();
        spool(t, spool, 20);
        t.close();
        assertEquals(List.of(), openUnder(spool), "spool files still open after close");
    }

    /**
     * The sender thread is busy when the transport is closed (here: stuck in a connection's
     * security handshake; in the field: a slow disk, a large backlog moved to the spool) and
     * does not stop within close()'s wait: the spool is still closed, as soon as the thread ends.
     */
    @Test
    void a_transport_whose_sender_thread_stops_late_still_closes_its_spool_files() throws Exception {
        Path spool = tmp.resolve("spool");
        int port = closedPort();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StreamSecurity blocking = new StreamSecurity() {
            @Override public String describe() { return "blocks the sender thread"; }

            @Override
            public void secure(Channel channel, String host, int port, Promise<Void> ready) {
                stuck.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ready.tryFailure(new IOException("handshake abandoned"));
            }
        };
        HepStreamTransport t = new HepStreamTransport("t", config(port, spool, blocking), true);
        t.start();
        spool(t, spool, 20);
        try (ServerSocket collector = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertTrue(stuck.await(10, TimeUnit.SECONDS), "the transport reconnects and its thread blocks in the handshake");
            t.close(); // gives up waiting for the thread
            release.countDown();
            assertEquals(List.of(), awaitClosed(spool), "spool files still open once the sender thread ended");
        } finally {
            release.countDown();
        }
    }
}
