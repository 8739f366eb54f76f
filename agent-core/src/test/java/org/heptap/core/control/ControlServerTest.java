package org.heptap.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket against clients that send too much, nothing at all, or never read. */
class ControlServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void a_16_mb_line_is_refused_with_a_message_and_the_server_still_serves(@TempDir Path dir) throws Exception {
        try (TestAgent agent = TestAgent.start(dir, ControlServer.IDLE_MILLIS);
                SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(agent.socket))) {
            // the writer blocks once the socket buffers are full, unless the server reads it all
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                try {
                    for (int i = 0; i < 16; i++) {
                        while (chunk.position() < chunk.limit()) chunk.put((byte) 'x');
                        chunk.flip();
                        while (chunk.hasRemaining()) c.write(chunk);
                        chunk.clear();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (LineChannel in = new LineChannel(c, 1024)) {
                JsonNode a = JSON.readTree(in.readLine(BOUND.toMillis()));
                assertFalse(a.get("ok").asBoolean());
                assertEquals(
                        "command longer than 4096 bytes; closed", a.get("error").asText());
                // and the connection is closed: the rest of the 16 MB is never read
                java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                        java.util.concurrent.ExecutionException.class,
                        () -> writer.get(BOUND.toSeconds(), TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof java.io.UncheckedIOException, e.toString());
            }
            assertTrue(ask(agent.socket, "status").get("ok").asBoolean(), "still serving");
        }
    }

    @Test
    void idle_connections_do_not_lock_out_status(@TempDir Path dir) throws Exception {
        try (TestAgent agent = TestAgent.start(dir, ControlServer.IDLE_MILLIS)) {
            List<SocketChannel> idle = new ArrayList<>();
            try {
                for (int i = 0; i < ControlServer.MAX_RUNNING + 8; i++)
                    idle.add(SocketChannel.open(UnixDomainSocketAddress.of(agent.socket)));
                JsonNode status = ask(agent.socket, "status");
                assertTrue(status.get("ok").asBoolean(), status.toString());
                assertEquals("sip", status.at("/sockets/0/name").asText());
            } finally {
                for (SocketChannel c : idle) c.close();
            }
        }
    }

    @Test
    void a_connection_that_sends_no_command_is_closed_with_a_message(@TempDir Path dir) throws Exception {
        try (TestAgent agent = TestAgent.start(dir, 300);
                LineChannel c = new LineChannel(open(agent.socket), 1024)) {
            JsonNode a = JSON.readTree(c.readLine(10_000));
            assertEquals("no command within 300 ms; closed", a.get("error").asText());
            assertNull(c.readLine(10_000), "closed after the message");
        }
    }

    @Test
    void too_many_waiting_connections_are_refused_with_a_message_until_they_time_out(@TempDir Path dir)
            throws Exception {
        try (TestAgent agent = TestAgent.start(dir, 1000)) {
            List<SocketChannel> idle = new ArrayList<>();
            try {
                for (int i = 0; i < ControlServer.MAX_WAITING; i++) idle.add(open(agent.socket));
                JsonNode refused = ask(agent.socket, "status");
                assertEquals(
                        "too many control connections waiting for their command (32)",
                        refused.path("error").asText(),
                        refused.toString());
                // the idle ones are closed after their second: served again
                JsonNode status = null;
                for (long deadline = System.nanoTime() + BOUND.toNanos(); System.nanoTime() < deadline; ) {
                    status = ask(agent.socket, "status");
                    if (status.get("ok").asBoolean()) break;
                    Thread.sleep(100);
                }
                assertTrue(status.get("ok").asBoolean(), status.toString());
            } finally {
                for (SocketChannel c : idle) c.close();
            }
        }
    }

    /**
     * With every watch the server allows open, as many clients as there are commands left, each
     * asking again as soon as it has its answer, are never refused: a worker that has answered but
     * is not yet back in the pool no longer counts as running (the fuzzer found "busy: 8 control
     * commands running" with only the watches and one client; with the pool's threads as the
     * count, this test failed at once).
     */
    @Test
    void clients_asking_again_at_once_beside_the_open_watches_are_never_refused_as_busy(@TempDir Path dir)
            throws Exception {
        try (TestAgent agent = TestAgent.start(dir, ControlServer.IDLE_MILLIS)) {
            List<LineChannel> watches = new ArrayList<>();
            try {
                for (int i = 0; i < ControlServer.MAX_WATCHES; i++) {
                    LineChannel w = new LineChannel(open(agent.socket), 1 << 20);
                    watches.add(w);
                    w.writeLine("watch", 10_000);
                    JsonNode first = JSON.readTree(w.readLine(10_000));
                    assertTrue(first.get("ok").asBoolean(), first.toString());
                }
                int n = ControlServer.MAX_RUNNING - ControlServer.MAX_WATCHES;
                ExecutorService pool = Executors.newFixedThreadPool(n);
                List<CompletableFuture<String>> clients = new ArrayList<>();
                for (int t = 0; t < n; t++) {
                    clients.add(CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    for (int i = 0; i < 500; i++) {
                                        JsonNode a = ask(agent.socket, i % 2 == 0 ? "status" : "nonsense");
                                        if (a.path("error").asText().startsWith("busy"))
                                            return "command " + i + ": " + a;
                                    }
                                    return null;
                                } catch (IOException e) {
                                    return e.toString();
                                }
                            },
                            pool));
                }
                try {
                    for (CompletableFuture<String> c : clients) assertNull(c.get(BOUND.toSeconds(), TimeUnit.SECONDS));
                } finally {
                    pool.shutdownNow();
                }
            } finally {
                for (LineChannel w : watches) w.close();
            }
        }
    }

    /** One command over a raw connection: the agent's first answer line. */
    private static JsonNode ask(Path socket, String command) throws IOException {
        try (LineChannel c = new LineChannel(open(socket), 1 << 20)) {
            try {
                c.writeLine(command, 10_000);
            } catch (IOException e) {
                // refused before the command went: the answer says why
            }
            return JSON.readTree(c.readLine(10_000));
        }
    }

    private static SocketChannel open(Path socket) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(socket));
        return c;
    }
}
