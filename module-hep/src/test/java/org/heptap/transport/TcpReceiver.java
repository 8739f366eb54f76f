package org.heptap.transport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A real TCP HEP3 collector for tests: splits the stream at each packet's length field. */
final class TcpReceiver implements AutoCloseable {
    final List<byte[]> packets = Collections.synchronizedList(new ArrayList<>());
    private final ServerSocket server;
    private final Thread thread;
    private volatile Socket current;
    volatile int connections;

    TcpReceiver(int port) throws IOException {
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        server.setReuseAddress(true);
        thread = new Thread(this::run, "tcp-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void run() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                current = s;
                connections++;
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] head = new byte[6];
                while (true) {
                    in.readFully(head);
                    int len = ((head[4] & 0xff) << 8) | (head[5] & 0xff);
                    byte[] p = new byte[len];
                    System.arraycopy(head, 0, p, 0, 6);
                    in.readFully(p, 6, len - 6);
                    packets.add(p);
                }
            } catch (EOFException e) {
                // peer closed; accept the next connection
            } catch (IOException e) {
                if (server.isClosed()) return;
            }
        }
    }

    boolean awaitPackets(int n, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (packets.size() < n && System.currentTimeMillis() < deadline) Thread.sleep(10);
        return packets.size() >= n;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket s = current;
        if (s != null) s.close();
        joinQuietly(thread, 5000);
    }

    /** Waits for the reader thread; an interrupt is passed on, not turned into a checked exception. */
    static void joinQuietly(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
