package org.heptap.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.heptap.core.log.RateLimitedLog;

/**
 * Keeps one stream collector's packets in capture order when they cannot go straight from its
 * queue to its connection. While the collector is known to be down, queued packets move, oldest
 * first, to the next collector of a fail-over profile, else to the on-disk {@link Spool}, else
 * they wait in the queue. As long as the spool holds anything, newer packets go behind them into
 * it and the connection is fed from the spool's head. Owns the spool and its counters; event loop
 * only, except the counters.
 */
final class OrderedOutbox {
    private static final System.Logger LOG = System.getLogger(StreamSender.class.getName());

    private final String name;
    private final StreamConfig config;
    private final SendQueue queue;
    /** Packets that have left the queue for good (written, handed on, spooled, lost): the sender's pending count. */
    private final AtomicLong leftQueue;

    private final RateLimitedLog spoolLog = RateLimitedLog.oncePer(30, TimeUnit.SECONDS);

    private Spool spool;
    private boolean spoolClosed;
    private volatile long spooled;
    private volatile long spoolWriteFailed;
    private volatile long frames;
    private volatile long inFlight;
    private volatile long replayed;
    /** Packets an earlier run left in the spool (found at start): input of this run besides what it is offered. */
    private volatile long fromEarlierSpool;

    OrderedOutbox(String name, StreamConfig config, SendQueue queue, AtomicLong leftQueue) {
        this.name = name;
        this.config = config;
        this.queue = queue;
        this.leftQueue = leftQueue;
    }

    /** The spool this collector uses (opened at start, before any packet moves). */
    void use(Spool opened) {
        this.spool = opened;
        frames = opened.frames();
        fromEarlierSpool = opened.frames();
    }

    boolean hasSpool() {
        return spool != null;
    }

    /** True while the spool holds packets: they go first, and newer packets go behind them. */
    boolean spoolInUse() {
        return spool != null && !spool.isEmpty();
    }

    /**
     * Moves queued packets that cannot be written now, in order: after a known failure
     * ({@code failed}) to the next collector while it is healthy, else to the spool; while the
     * spool is in use, behind what it holds. While the first connection is still being made,
     * packets wait in the queue.
     */
    void divert(boolean connected, boolean failed, PacketHandOver next) {
        boolean spoolInUse = spoolInUse();
        if (connected && !spoolInUse) return;
        ByteBuf buf;
        while ((buf = queue.peek()) != null) {
            if (!connected && failed && next != null && next.healthy()) {
                queue.poll();
                if (!next.handOver(buf.retain())) {
                    if (spool == null) {
                        queue.countDropped(1);
                    } else {
                        toSpool(buf.retain());
                    }
                }
                buf.release();
                leftQueue.incrementAndGet();
            } else if (spool != null && (spoolInUse || failed)) {
                queue.poll();
                toSpool(buf);
                leftQueue.incrementAndGet();
            } else {
                break; // waits in the queue for the connection
            }
        }
        frames = spool == null ? 0 : spool.frames();
    }

    /** The spool's oldest packet for the connection (the caller owns it), or null when it is empty. */
    ByteBuf replayNext(ByteBufAllocator alloc) throws IOException {
        ByteBuf buf = spool.next(alloc);
        if (buf != null) inFlight++;
        frames = spool.frames();
        return buf;
    }

    /** A packet from {@link #replayNext} was written, failed, or dropped at close. */
    void replayDone() {
        inFlight--;
        replayed++;
    }

    /**
     * Appends a packet to the spool and releases it. A full spool drops it ({@code dropped}); a
     * write that fails (disk full, folder gone) loses it ({@code spool-write-failed}): either way
     * it is counted once and never stays counted as queued.
     */
    private void toSpool(ByteBuf buf) {
        try {
            if (spool.append(buf)) {
                spooled++;
            } else {
                queue.countDropped(1);
                long quiet = spoolLog.tryAcquire();
                if (quiet >= 0) {
                    LOG.log(
                            Level.WARNING,
                            "transport {0}: spool {1} is full ({2} bytes max); new packets are dropped{3}",
                            name,
                            config.spoolDir(),
                            config.spoolMax(),
                            quietNote(quiet));
                }
            }
        } catch (IOException e) {
            spoolWriteFailed++;
            long quiet = spoolLog.tryAcquire();
            if (quiet >= 0) {
                LOG.log(
                        Level.WARNING,
                        "transport {0}: spool {1}: cannot write ({2}); packets that cannot be spooled are lost, counted as spool-write-failed{3}",
                        name,
                        config.spoolDir(),
                        e.toString(),
                        quietNote(quiet));
            }
        } finally {
            buf.release();
        }
    }

    /** At close: everything still queued goes to the spool, for the next run. */
    void moveQueueToSpool() {
        if (spool == null) return;
        ByteBuf b;
        while ((b = queue.poll()) != null) {
            toSpool(b);
            leftQueue.incrementAndGet();
        }
        frames = spool.frames();
    }

    /** Closes the spool once (saving its read position); what it holds stays for the next run. */
    void closeSpool() {
        if (spool == null || spoolClosed) return;
        spoolClosed = true;
        try {
            long left = spool.frames();
            spool.close();
            if (left > 0)
                LOG.log(
                        Level.INFO,
                        "transport {0}: {1} packets stay in the spool {2} for the next run",
                        name,
                        left,
                        config.spoolDir());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "transport {0}: spool {1}: {2}", name, config.spoolDir(), e.toString());
        }
    }

    /** A spool read failed: said once per interval. */
    void readFailed(IOException e) {
        long quiet = spoolLog.tryAcquire();
        if (quiet >= 0) LOG.log(Level.WARNING, "transport {0}: spool {1}: {2}", name, config.spoolDir(), e.toString());
    }

    /** True while the spool holds or has in flight packets the connection has still to take. */
    boolean replayPending() {
        return frames > 0 || inFlight > 0;
    }

    long buffered() {
        return frames;
    }

    long spooled() {
        return spooled;
    }

    long replayed() {
        return replayed;
    }

    long fromEarlierSpool() {
        return fromEarlierSpool;
    }

    long spoolWriteFailed() {
        return spoolWriteFailed;
    }

    private static String quietNote(long quiet) {
        return quiet > 0 ? " (" + quiet + " more since the last report)" : "";
    }
}
