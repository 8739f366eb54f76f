package org.heptap.core.testing;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * A plain-Java TCP collector for transport tests: accepts one connection after another on
 * 127.0.0.1 and keeps every record it reads, split by a {@link Framing} (the wire format's: HEP3
 * length fields, JSON lines).
 */
public class StreamReceiver implements AutoCloseable {
    /** Splits what one connection sends into records, until the peer closes it (EOF). */
    @FunctionalInterface
    public interface Framing {
        void split(InputStream in, Consumer<byte[]> record) throws IOException;
    }

    /** Newline-delimited records (JSON lines), without the line break. */
    public static final Framing LINES = (in, record) -> {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String l; (l = r.readLine()) != null; ) record.accept(l.getBytes(StandardCharsets.UTF_8));
    };

    /** Every record so far, in the order read. */
    public final List<byte[]> records = Collections.synchronizedList(new ArrayList<>());
    /** Connections accepted so far. */
    public volatile int connections;

    private final ServerSocket server;
    private final Framing framing;
    private final Thread thread;
    private volatile Socket current;

    /** Listens on {@code port} of 127.0.0.1 (0: a free one). */
    public StreamReceiver(int port, Framing framing) throws IOException {
        this.framing = framing;
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        server.setReuseAddress(true);
        thread = new Thread(this::run, "tcp-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void run() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                current = s;
                connections++;
                framing.split(s.getInputStream(), records::add);
            } catch (EOFException e) {
                // peer closed; accept the next connection
            } catch (IOException e) {
                if (server.isClosed()) return;
            }
        }
    }

    /** Waits (bounded) until at least {@code n} records arrived; true when they did. */
    public boolean awaitRecords(int n, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (records.size() < n && System.currentTimeMillis() < deadline) Thread.sleep(10);
        return records.size() >= n;
    }

    /** Every record so far as UTF-8 text. */
    public List<String> texts() {
        synchronized (records) {
            return records.stream()
                    .map(r -> new String(r, StandardCharsets.UTF_8))
                    .toList();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket s = current;
        if (s != null) s.close();
        joinQuietly(thread, 5000);
    }

    /** Waits for a reader thread; an interrupt is passed on, not turned into a checked exception. */
    public static void joinQuietly(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
