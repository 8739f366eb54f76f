package org.heptap.core.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One end of a control connection, speaking lines with a deadline on every read and write: a
 * peer that never answers, or never reads, costs a timeout and a message, never a thread for
 * ever. Unix domain sockets have no SO_TIMEOUT, so the channel runs non-blocking under a
 * selector of its own.
 */
final class LineChannel implements AutoCloseable {
    /** Thrown when the peer did not answer, or did not read, in time. */
    static final class TimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        TimeoutException(String message) {
            super(message);
        }
    }

    /** Thrown when the peer sends a line longer than the bound. */
    static final class TooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLongException(String message) {
            super(message);
        }
    }

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final LineBuffer in;

    /** @param maxLine the longest line accepted from the peer */
    LineChannel(SocketChannel channel, int maxLine) throws IOException {
        this(channel, new LineBuffer(maxLine));
    }

    /** Goes on reading from {@code in}, which may already hold bytes the peer sent. */
    LineChannel(SocketChannel channel, LineBuffer in) throws IOException {
        this.channel = channel;
        this.in = in;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        try {
            this.key = channel.register(selector, 0);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    /**
     * Connects to a Unix domain socket within {@code timeoutMillis} (an agent whose listen backlog
     * is full refuses at once rather than making the caller wait).
     */
    static LineChannel connect(Path path, int maxLine, long timeoutMillis) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        LineChannel c;
        try {
            c = new LineChannel(ch, maxLine);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        try {
            if (!ch.connect(UnixDomainSocketAddress.of(path))) {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
                while (!ch.finishConnect())
                    c.await(SelectionKey.OP_CONNECT, deadline, "no connection within " + timeoutMillis + " ms");
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Writes {@code line} and a newline, within {@code timeoutMillis}. */
    void writeLine(String line, long timeoutMillis) throws IOException {
        write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)), timeoutMillis);
    }

    /** Writes all of {@code b}, within {@code timeoutMillis}. */
    void write(ByteBuffer b, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            channel.write(b);
            if (!b.hasRemaining()) return;
            await(SelectionKey.OP_WRITE, deadline, "the peer did not read for " + timeoutMillis + " ms");
        }
    }

    /**
     * The next line from the peer, waiting at most {@code timeoutMillis} for it; null when the peer
     * closed the connection (an unfinished last line is dropped).
     */
    String readLine(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            String line = in.nextLine();
            if (line != null) return line;
            if (in.overflowed()) throw new TooLongException("a line longer than " + in.max() + " bytes");
            int n = in.fill(channel);
            if (n < 0) return null;
            if (n == 0) await(SelectionKey.OP_READ, deadline, "no answer within " + timeoutMillis + " ms");
        }
    }

    private void await(int op, long deadline, String timeoutMessage) throws IOException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) throw new TimeoutException(timeoutMessage);
        key.interestOps(op);
        selector.select(left);
        key.interestOps(0);
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
