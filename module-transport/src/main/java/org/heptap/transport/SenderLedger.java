package org.heptap.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one collector's sender accepted and what became of it, kept the same way by the UDP and
 * the stream sender: packets completed (sent, failed, dropped at close, spooled or handed on),
 * the counts every collector reports first, and the end of its event loop at close.
 */
final class SenderLedger {
    private static final System.Logger LOG = System.getLogger(SenderLedger.class.getName());

    private final SendQueue queue;
    /** Accepted packets that are done with; accepted minus these is what is still pending. */
    final AtomicLong completed = new AtomicLong();

    // written by the sender's event loop only, read by the ledger and metrics
    volatile long sent;
    volatile long bytes;
    volatile long sendFailed;

    SenderLedger(SendQueue queue) {
        this.queue = queue;
    }

    /** Packets accepted and not yet written, failed, spooled or handed on. */
    long pending() {
        return Math.max(0, queue.accepted() - completed.get());
    }

    /** Releases whatever is still queued, each packet a counted drop; returns how many. */
    long discardQueued() {
        long n = 0;
        ByteBuf buf;
        while ((buf = queue.poll()) != null) {
            buf.release();
            queue.countDropped(1);
            completed.incrementAndGet();
            n++;
        }
        return n;
    }

    /** {@code sent}, {@code bytes}, {@code queued}, {@code dropped}: the counters every collector starts with. */
    Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("sent", sent);
        c.put("bytes", bytes);
        c.put("queued", pending());
        c.put("dropped", queue.dropped());
        return c;
    }

    /**
     * Stops a sender's event loop at close. False (logged) when its thread did not stop within
     * 5 s: the queue has a single consumer, so the caller must then leave the queue alone.
     */
    static boolean stop(EventLoopGroup group, String name) {
        boolean stopped = group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (!stopped) LOG.log(Level.WARNING, "transport {0}: sender thread did not stop in 5 s", name);
        return stopped;
    }
}
