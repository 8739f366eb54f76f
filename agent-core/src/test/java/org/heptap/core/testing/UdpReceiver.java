package org.heptap.transport;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** A plain-Java UDP collector for transport tests: keeps every datagram it gets. */
final class UdpReceiver implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;
    private final ConcurrentLinkedQueue<byte[]> received = new ConcurrentLinkedQueue<>();

    UdpReceiver(String host) throws IOException {
        socket = new DatagramSocket(null);
        socket.setReceiveBufferSize(4 << 20);
        socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
        thread = new Thread(this::run, "udp-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
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
    int await(int n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (received.size() < n && System.nanoTime() < deadline) Thread.sleep(5);
        return received.size();
    }

    List<byte[]> datagrams() {
        return new ArrayList<>(received);
    }

    @Override
    public void close() {
        socket.close();
        TcpReceiver.joinQuietly(thread, 2000);
    }
}
