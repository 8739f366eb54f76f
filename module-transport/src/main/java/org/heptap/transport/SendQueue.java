package org.heptap.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The hand-over from pipeline threads to one collector's event loop: a bounded multi-producer
 * queue of encoded packets, the count of what it accepted and dropped, and at most one drain task
 * scheduled at a time. A full queue drops the packet and counts it, so capture never waits on the
 * network; in offline runs (capture files), where nothing upstream can overflow, the producer
 * waits for room instead, as long as waiting can help.
 */
final class SendQueue {
    /** How long an offline producer sleeps between looks at a full queue. */
    private static final long OFFLINE_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final Queue<ByteBuf> queue;
    private final boolean offline;
    private final Runnable drainTask;
    private final BooleanSupplier waitHelps;
    /** True while a drain task is scheduled, running, or waiting for the channel to become writable. */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    private final LongAdder accepted = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile EventLoop loop;

    /**
     * @param waitHelps offline only: whether a producer facing a full queue should keep waiting
     *     (false once the transport is closed, or when nothing can drain the queue)
     */
    SendQueue(int capacity, boolean offline, Runnable drainTask, BooleanSupplier waitHelps) {
        this.queue = PlatformDependent.newFixedMpscQueue(
                offline ? Math.min(capacity, UdpConfig.OFFLINE_QUEUE_SIZE) : capacity);
        this.offline = offline;
        this.drainTask = drainTask;
        this.waitHelps = waitHelps;
    }

    /** The loop that drains; anything offered before is drained now. */
    void start(EventLoop loop) {
        this.loop = loop;
        schedule();
    }

    /** Producer: takes ownership of {@code buf}; false (released, counted as dropped) when it does not fit. */
    boolean offer(ByteBuf buf) {
        // counted before the offer so the transport's pending() never misses a packet in flight
        accepted.increment();
        if (!queue.offer(buf) && !(offline && waitForSpace(buf))) {
            accepted.decrement();
            buf.release();
            dropped.increment();
            return false;
        }
        schedule();
        return true;
    }

    /** Producer that must not wait (a fail-over hand-over): false, nothing counted, and the caller keeps {@code buf}. */
    boolean offerNow(ByteBuf buf) {
        if (!queue.offer(buf)) return false;
        accepted.increment();
        schedule();
        return true;
    }

    private boolean waitForSpace(ByteBuf buf) {
        do {
            if (!waitHelps.getAsBoolean()) return false;
            schedule();
            LockSupport.parkNanos(OFFLINE_WAIT_NANOS);
        } while (!queue.offer(buf));
        return true;
    }

    /** Makes sure a drain task is on its way. */
    void schedule() {
        EventLoop l = loop;
        // get() first: while the loop is busy the flag stays set and producers touch nothing shared
        if (l != null && !drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
            try {
                l.execute(drainTask);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false); // shutting down; the transport's close() accounts for what is left
            }
        }
    }

    // ---- event loop side ----

    ByteBuf poll() {
        return queue.poll();
    }

    ByteBuf peek() {
        return queue.peek();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Event loop: this drain task ends with the queue drained; runs another if a producer offered after the last poll. */
    void drainFinished() {
        drainScheduled.set(false);
        if (!queue.isEmpty() && drainScheduled.compareAndSet(false, true)) loop.execute(drainTask);
    }

    /** Event loop: this drain task ends and leaves what is queued for a later schedule (no connection yet, closed). */
    void drainStopped() {
        drainScheduled.set(false);
    }

    void countDropped(long n) {
        dropped.add(n);
    }

    long accepted() {
        return accepted.sum();
    }

    long dropped() {
        return dropped.sum();
    }
}
