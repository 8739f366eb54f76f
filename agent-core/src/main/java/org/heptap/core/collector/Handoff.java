package org.heptap.core.collector;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bounded hand-off between a collector socket's event loop (the one producer: it reads,
 * frames and copies) and the socket's plan thread (the one consumer: the plan and its state are
 * not thread-safe). A fixed set of {@link Received} slots circulates between a free and a filled
 * queue, so nothing is allocated per message; when no slot is free the event loop stops reading
 * ({@link ReadThrottle}) instead of waiting: a slow plan costs buffering in the kernel (UDP:
 * counted by the kernel when it overflows; TCP: flow control), never a blocked event loop.
 */
final class Handoff {
    private final ArrayBlockingQueue<Received> free;
    private final ArrayBlockingQueue<Received> filled;
    private final int capacity;

    Handoff(int slots) {
        this.capacity = slots;
        this.free = new ArrayBlockingQueue<>(slots);
        this.filled = new ArrayBlockingQueue<>(slots);
        for (int i = 0; i < slots; i++) free.add(new Received());
    }

    int capacity() {
        return capacity;
    }

    /** Event loop: a free slot to fill, or null when the plan thread holds them all. */
    Received claim() {
        return free.poll();
    }

    /** Event loop: passes a filled slot to the plan thread. */
    void publish(Received r) {
        filled.add(r);
    }

    /** Slots free now (the event loop is the only one that takes them, so it can count on these). */
    int free() {
        return free.size();
    }

    /** Plan thread: the next message, or null after {@code timeoutMillis} without one. */
    Received next(long timeoutMillis) throws InterruptedException {
        return filled.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Plan thread: the next message if one is waiting, else null at once. */
    Received poll() {
        return filled.poll();
    }

    /** Plan thread: gives a slot back once its message went through the plan. */
    void release(Received r) {
        r.clear();
        free.add(r);
    }
}
