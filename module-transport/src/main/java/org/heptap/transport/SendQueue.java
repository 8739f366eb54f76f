package org.heptap.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * The hand-over from pipeline threads to one collector's event loop: a bounded multi-producer
 * queue of encoded packets, the count of what it accepted and dropped, and at most one drain task
 * scheduled at a time. A full queue drops the packet and counts it, so capture never waits on the
 * network; in offline runs (capture files), where nothing upstream can overflow, the producer
 * waits for room instead, as long as waiting can help.
 *
 * <p>An offline producer that finds the queue full sleeps until the consumer has taken it down to
 * half ({@link #lowWater}) and wakes it: one wake-up per half a queue, not a look every few
 * microseconds (each look is a futex call and a timer interrupt, which cost the sender's CPU as
 * much as the capture thread's). The sleep is timed ({@link #SAFETY_WAIT_MILLIS}) so that a
 * missed wake-up or a collector that stops mid-drain costs a delay, never a hang.
 */
final class SendQueue {
    /** Longest sleep of an offline producer between looks at a full queue (the wake-up's safety net). */
    static final long SAFETY_WAIT_MILLIS = 10;

    /**
     * Offline: how long a drain waits for more packets when the first one comes to an empty queue.
     * A replay that sends now and then (SIP and reports between RTP packets) otherwise woke the
     * event loop for each packet: an eventfd write, a context switch and an epoll_wait per packet,
     * about 14 µs of CPU per datagram. A delayed drain costs about the same once (Netty wakes the
     * loop to arm its timer) and then serves, with one sendmmsg, whatever came meanwhile; the
     * queue (1,024 places offline) fills for at most this long, and a full one makes the producer
     * wait, as before.
     */
    static final long OFFLINE_GATHER_MICROS = 500;
    /**
     * Offline: a drain asked for while this many packets already wait (a start with a backlog)
     * runs at once. Packets that come while a delayed drain is pending do not bring it forward.
     */
    static final int OFFLINE_GATHER_MAX = 64;

    private final Queue<ByteBuf> queue;
    private final boolean offline;
    /** Offline: the fill at or below which the consumer wakes producers waiting for room. */
    private final int lowWater;
    /** Offline producers wait on this for room. */
    private final Object room = new Object();
    /** True while some producer waits for room: the consumer then looks at the fill after each poll. */
    private volatile boolean roomWanted;
    /** Times the consumer woke waiting producers (tests). */
    private long wakeUps;

    private final Runnable drainTask;
    private final BooleanSupplier waitHelps;
    private final long safetyWaitMillis;
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
        this(capacity, offline, drainTask, waitHelps, SAFETY_WAIT_MILLIS);
    }

    /** @param safetyWaitMillis the longest sleep between looks at a full queue (tests: long, so only wake-ups count) */
    SendQueue(int capacity, boolean offline, Runnable drainTask, BooleanSupplier waitHelps, long safetyWaitMillis) {
        int size = offline ? Math.min(capacity, UdpConfig.OFFLINE_QUEUE_SIZE) : capacity;
        this.queue = PlatformDependent.newFixedMpscQueue(size);
        this.offline = offline;
        this.lowWater = size / 2;
        this.drainTask = drainTask;
        this.waitHelps = waitHelps;
        this.safetyWaitMillis = safetyWaitMillis;
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

    /** Offline producer: sleeps until the consumer makes room (or waiting stops helping); true once {@code buf} is queued. */
    private boolean waitForSpace(ByteBuf buf) {
        synchronized (room) {
            do {
                if (!waitHelps.getAsBoolean()) return false;
                schedule();
                // wanted before the look at the fill: a consumer that drains past the mark after
                // this look sees the flag and wakes us
                roomWanted = true;
                if (queue.size() > lowWater) {
                    try {
                        room.wait(safetyWaitMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // the thread is being stopped: drop and count
                        return false;
                    }
                }
            } while (!queue.offer(buf));
            return true;
        }
    }

    /** Wakes producers waiting for room so that they look again (the transport closed, or its queue stopped moving). */
    void wakeWaiters() {
        if (!roomWanted) return;
        synchronized (room) {
            roomWanted = false;
            wakeUps++;
            room.notifyAll();
        }
    }

    /** Consumer: wakes waiting producers once the queue is down to the low-water mark. */
    private void wakeIfRoom() {
        if (roomWanted && queue.size() <= lowWater) wakeWaiters();
    }

    /** Makes sure a drain task is on its way. */
    void schedule() {
        EventLoop l = loop;
        // get() first: while the loop is busy the flag stays set and producers touch nothing shared
        if (l != null && !drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
            try {
                if (offline && queue.size() < OFFLINE_GATHER_MAX) {
                    l.schedule(drainTask, OFFLINE_GATHER_MICROS, TimeUnit.MICROSECONDS);
                } else {
                    l.execute(drainTask);
                }
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false); // shutting down; the transport's close() accounts for what is left
            }
        }
    }

    // ---- event loop side ----

    ByteBuf poll() {
        ByteBuf buf = queue.poll();
        if (roomWanted) wakeIfRoom(); // one volatile read per packet while nobody waits
        return buf;
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
        wakeIfRoom(); // after the fence above: a producer that wanted room before it is woken here
    }

    /** Event loop: this drain task ends and leaves what is queued for a later schedule (no connection yet, closed). */
    void drainStopped() {
        drainScheduled.set(false);
        wakeWaiters(); // the queue stops moving: waiting producers look again whether waiting helps
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

    /** For tests: how often the consumer side woke waiting producers. */
    long wakeUps() {
        synchronized (room) {
            return wakeUps;
        }
    }

    /** For tests: true while a producer waits for room. */
    boolean roomWanted() {
        return roomWanted;
    }
}
