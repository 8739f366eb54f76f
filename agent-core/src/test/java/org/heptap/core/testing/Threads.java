package org.heptap.core.testing;

import java.util.concurrent.TimeUnit;

/** Waiting for another thread to reach a point, without guessing how long it takes. */
public final class Threads {
    private Threads() {}

    /**
     * Returns once {@code thread} waits (on a lock, monitor, latch or park) or has ended, or after
     * 10 s: a test then knows the thread got as far as its first blocking call. An ended thread
     * returns at once; the caller's assertions say what went wrong.
     */
    public static void awaitBlocked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED)
                return;
            if (state == Thread.State.TERMINATED) return;
            Thread.sleep(5);
        }
    }
}
