package org.heptap.e2e;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for something to happen, bounded: tests wait for the event, not for a fixed time. */
final class Await {
    /** How often the condition is polled: short next to any timeout a test gives. */
    private static final long POLL_MILLIS = 20;

    /** A condition that may throw (it usually reads a file or a process's output). */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {}

    /**
     * Returns as soon as {@code condition} holds; fails with "timed out after T waiting for WHAT"
     * when it still does not after {@code timeout}.
     */
    static void until(Condition condition, Duration timeout, String what) throws Exception {
        until(condition, timeout, () -> what);
    }

    /** As {@link #until(Condition, Duration, String)}, with a message made at the timeout (it may show the last state polled). */
    static void until(Condition condition, Duration timeout, Supplier<String> what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
            Thread.sleep(POLL_MILLIS);
        }
    }
}
