package org.heptap.core.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the agent on a Unix socket, for one connection: it records the command line,
 * writes the given answer lines, then hangs up, or stays silent and connected when
 * {@code hangUp} is false (an agent that never answers).
 */
final class FakeAgent implements AutoCloseable {
    final Path path;
    private final ServerSocketChannel server;
    private final CompletableFuture<String> command = new CompletableFuture<>();
    private final Thread thread;
    private volatile SocketChannel connection;

    FakeAgent(Path path, List<String> answer, boolean hangUp) throws IOException {
        this.path = path;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        thread = new Thread(() -> serve(answer, hangUp), "fake-agent");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve(List<String> answer, boolean hangUp) {
        try {
            SocketChannel c = server.accept();
            connection = c;
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            command.complete(in.readLine());
            OutputStream out = Channels.newOutputStream(c);
            for (String line : answer) out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (hangUp) c.close();
        } catch (IOException e) {
            command.completeExceptionally(e);
        }
    }

    /** The command line the client sent. */
    String command() throws Exception {
        return command.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
        SocketChannel c = connection;
        if (c != null) c.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
