package org.heptap.core.control;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Accepts control connections and reads each one's command line, all on one thread and without a
 * thread per connection, so clients that connect and say nothing never keep another out. A
 * command is at most {@link #MAX_COMMAND} bytes and must arrive within the idle timeout; at most
 * {@code maxWaiting} connections wait for theirs at once. Whatever is refused gets one JSON line
 * saying why and is closed; a complete command goes to the {@link Handler}.
 */
final class CommandIntake implements Runnable {
    private static final Logger LOG = System.getLogger(CommandIntake.class.getName());
    /** The longest command line; every command is a few words. */
    static final int MAX_COMMAND = 4096;

    /** Runs one command; called on the intake thread, so it must hand the work on, not do it. */
    interface Handler {
        /** {@code rest} holds whatever the client sent after the command line. */
        void handle(SocketChannel channel, LineBuffer rest, String command);
    }

    /** A connection whose command has not arrived yet. */
    private static final class Waiting {
        final SocketChannel channel;
        final LineBuffer in = new LineBuffer(MAX_COMMAND);
        final long deadline;
        String command;

        Waiting(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
        }
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Handler handler;
    private final long idleNanos;
    private final int maxWaiting;
    /** In arrival order, so in deadline order: the timeout sweep looks only at the first. */
    private final Set<Waiting> waiting = new LinkedHashSet<>();

    private final List<Waiting> complete = new ArrayList<>();

    CommandIntake(ServerSocketChannel server, Handler handler, long idleMillis, int maxWaiting) throws IOException {
        this.server = server;
        this.handler = handler;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        this.maxWaiting = maxWaiting;
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    @Override
    public void run() {
        try {
            while (server.isOpen()) {
                selector.select(this::ready, waitMillis());
                expire(System.nanoTime());
                if (!complete.isEmpty()) {
                    // their keys were cancelled: deregister them now, so a handler closing the
                    // channel closes it at once and not at this selector's next wake-up
                    selector.selectNow(k -> {});
                    for (Waiting w : complete) handler.handle(w.channel, w.in, w.command);
                    complete.clear();
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (server.isOpen()) LOG.log(Level.WARNING, "control socket: stopped serving: " + e);
        } finally {
            for (Waiting w : waiting) closeQuietly(w.channel);
            closeQuietly(selector);
        }
    }

    /** Stops: closes the listening socket and every connection still waiting. */
    void close() {
        closeQuietly(server);
        selector.wakeup();
    }

    private long waitMillis() {
        if (waiting.isEmpty()) return 0; // no deadline: until something happens
        Waiting head = waiting.iterator().next();
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(head.deadline - System.nanoTime()) + 1);
    }

    private void ready(SelectionKey key) {
        if (key.isValid() && key.isAcceptable()) accept();
        else if (key.isValid() && key.isReadable()) read(key, (Waiting) key.attachment());
    }

    private void accept() {
        SocketChannel c;
        try {
            while ((c = server.accept()) != null) {
                if (waiting.size() >= maxWaiting) {
                    refuse(c, "too many control connections waiting for their command (" + maxWaiting + ")");
                    continue;
                }
                c.configureBlocking(false);
                Waiting w = new Waiting(c, System.nanoTime() + idleNanos);
                c.register(selector, SelectionKey.OP_READ, w);
                waiting.add(w);
            }
        } catch (IOException e) {
            if (server.isOpen()) LOG.log(Level.WARNING, "control socket: accept failed: " + e.getMessage());
        }
    }

    private void read(SelectionKey key, Waiting w) {
        try {
            int n = w.in.fill(w.channel);
            w.command = w.in.nextLine();
            if (w.command != null) {
                key.cancel();
                waiting.remove(w);
                complete.add(w);
            } else if (w.in.overflowed()) {
                waiting.remove(w);
                refuse(w.channel, "command longer than " + MAX_COMMAND + " bytes; closed");
            } else if (n < 0) {
                waiting.remove(w);
                closeQuietly(w.channel); // hung up before a whole command
            }
        } catch (IOException e) {
            waiting.remove(w);
            closeQuietly(w.channel);
        }
    }

    private void expire(long now) {
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            if (w.deadline - now > 0) return;
            it.remove();
            refuse(w.channel, "no command within " + TimeUnit.NANOSECONDS.toMillis(idleNanos) + " ms; closed");
        }
    }

    /** Says why in one line, as far as the socket buffer takes it without waiting, and closes. */
    static void refuse(SocketChannel c, String why) {
        try (c) {
            c.configureBlocking(false);
            c.write(ByteBuffer.wrap((Answers.line(Answers.error(why)) + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException ignored) {
            // the client left, or does not read: it is closed either way
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on the way out
        }
    }
}
