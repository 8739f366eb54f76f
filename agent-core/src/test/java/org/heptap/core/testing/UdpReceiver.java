package org.heptap.core.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** A plain-Java UDP collector for transport tests: keeps every datagram it gets. */
public final class UdpReceiver implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;
    private final ConcurrentLinkedQueue<byte[]> received = new ConcurrentLinkedQueue<>();

    /** Listens on a free port of {@code host} (an address such as 127.0.0.1 or ::1). */
    public UdpReceiver(String host) throws IOException {
        socket = new DatagramSocket(null);
        socket.setReceiveBufferSize(4 << 20);
        socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
        thread = new Thread(this::run, "udp-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void run() {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
                received.add(Arrays.copyOfRange(buf, p.getOffset(), p.getOffset() + p.getLength()));
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                // keep receiving
            }
        }
    }

    /** Waits until at least {@code n} datagrams arrived (or the timeout); returns how many did. */
    public int await(int n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (received.size() < n && System.nanoTime() < deadline) Thread.sleep(5);
        return received.size();
    }

    public List<byte[]> datagrams() {
        return new ArrayList<>(received);
    }

    /** Every datagram so far as UTF-8 text (JSON documents, say). */
    public List<String> texts() {
        return received.stream().map(d -> new String(d, StandardCharsets.UTF_8)).toList();
    }

    /** How many datagrams arrived so far. */
    public int count() {
        return received.size();
    }

    @Override
    public void close() {
        socket.close();
        StreamReceiver.joinQuietly(thread, 2000);
    }
}
