package org.heptap.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    private static final long SECOND = 1_000_000_000L;

    /** System.nanoTime() has an arbitrary origin: 0, negative, or about to wrap. */
    @Test
    void the_first_event_is_always_logged_whatever_the_clock_reads() {
        for (long start : new long[] {0, 5 * SECOND, -7 * SECOND, Long.MIN_VALUE, Long.MAX_VALUE}) {
            AtomicLong now = new AtomicLong(start);
            RateLimitedLog log = new RateLimitedLog(1, 10 * SECOND, now::get);
            assertEquals(0, log.tryAcquire(), "first event at clock " + start);
            assertEquals(-1, log.tryAcquire(), "second, same instant, clock " + start);
        }
    }

    @Test
    void at_most_n_per_window_then_the_next_line_says_how_many_were_held_back() {
        AtomicLong now = new AtomicLong(-3 * SECOND);
        RateLimitedLog log = new RateLimitedLog(3, SECOND, now::get);
        assertEquals(0, log.tryAcquire());
        assertEquals(0, log.tryAcquire());
        assertEquals(0, log.tryAcquire());
        for (int i = 0; i < 7; i++) assertEquals(-1, log.tryAcquire());
        now.addAndGet(SECOND - 1);
        assertEquals(-1, log.tryAcquire(), "still inside the first window");
        now.addAndGet(1);
        assertEquals(8, log.tryAcquire(), "eight held back since the last line");
        assertEquals(0, log.tryAcquire(), "the count starts again once reported");
        assertEquals(0, log.tryAcquire());
        assertEquals(-1, log.tryAcquire());
    }

    @Test
    void a_window_ends_by_elapsed_time_even_across_the_clock_wrapping() {
        AtomicLong now = new AtomicLong(Long.MAX_VALUE - SECOND / 2);
        RateLimitedLog log = new RateLimitedLog(1, SECOND, now::get);
        assertEquals(0, log.tryAcquire());
        assertEquals(-1, log.tryAcquire());
        now.addAndGet(SECOND); // wraps to a large negative value
        assertEquals(1, log.tryAcquire());
    }

    /** The window restarts at the event that opens it, so one per window means one per interval at most. */
    @Test
    void once_per_interval_counts_from_the_line_let_through() {
        AtomicLong now = new AtomicLong(1_000);
        RateLimitedLog log = new RateLimitedLog(1, 100, now::get);
        assertEquals(0, log.tryAcquire());
        now.addAndGet(250);
        assertEquals(0, log.tryAcquire(), "long quiet: nothing held back");
        now.addAndGet(99);
        assertEquals(-1, log.tryAcquire());
        now.addAndGet(1);
        assertEquals(1, log.tryAcquire());
    }

    @Test
    void suffix_says_how_many_were_not_logged() {
        assertEquals("", RateLimitedLog.suffix(0));
        assertEquals("; 12 more not logged", RateLimitedLog.suffix(12));
    }

    @Test
    void nonsense_limits_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimitedLog(0, SECOND, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimitedLog(1, 0, () -> 0));
        assertEquals(10 * SECOND, RateLimitedLog.oncePer(10, TimeUnit.SECONDS).windowNanos());
    }

    /**
     * Every event is either let through or counted, whichever thread it comes from. A line let
     * through may report events another thread held back a moment before it (its slot was taken
     * first, its count read later), so the invariant is over the sum of what the lines report.
     */
    @Test
    void threads_together_get_n_lines_and_every_other_event_is_counted() throws Exception {
        AtomicLong now = new AtomicLong(0);
        RateLimitedLog log = new RateLimitedLog(5, SECOND, now::get);
        int threads = 4, each = 20_000;
        LongAdder letThrough = new LongAdder();
        LongAdder reported = new LongAdder();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    long heldBack = log.tryAcquire();
                    if (heldBack >= 0) {
                        letThrough.increment();
                        reported.add(heldBack);
                    }
                }
            });
            th.start();
            started.add(th);
        }
        go.countDown();
        for (Thread th : started) th.join(30_000);
        for (Thread th : started) assertTrue(!th.isAlive(), th + " still running after 30 s");
        assertEquals(5, letThrough.sum());
        now.addAndGet(SECOND);
        assertEquals(threads * each - 5, reported.sum() + log.tryAcquire());
    }

    /** Suppressing is on the hot path (a flood of bad packets): it must not allocate. */
    @Test
    void suppressing_allocates_nothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        AtomicLong now = new AtomicLong(0);
        RateLimitedLog log = new RateLimitedLog(1, SECOND, now::get);
        log.tryAcquire();
        long quiet = 0;
        for (int i = 0; i < 1_000; i++) quiet += log.tryAcquire(); // warm up
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) quiet += log.tryAcquire();
        long allocated = mx.getThreadAllocatedBytes(id) - before;
        assertEquals(-101_000, quiet);
        // one object per call would be 1.6 MB at least; allow for the measurement's own bytes
        assertTrue(allocated < 10_000, allocated + " bytes allocated by 100000 suppressed events");
    }
}
