package org.heptap.core.log;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets at most N log lines through per window (one second unless told) and counts the rest.
 * Lock-free and allocation-free, since a plan or a flood of bad input may hit it for every
 * packet; counts are approximate when several threads cross a window boundary at once, which is
 * fine for log sampling.
 */
public final class LogRateLimiter {
    public static final long WINDOW_NANOS = 1_000_000_000L;

    private final int perWindow;
    private final long windowNanos;
    private final AtomicLong windowStart;
    private final AtomicInteger usedInWindow = new AtomicInteger();
    private final AtomicLong suppressed = new AtomicLong();

    public LogRateLimiter(int perWindow, long nowNanos) {
        this(perWindow, WINDOW_NANOS, nowNanos);
    }

    public LogRateLimiter(int perWindow, long windowNanos, long nowNanos) {
        this.perWindow = perWindow;
        this.windowNanos = windowNanos;
        this.windowStart = new AtomicLong(nowNanos);
    }

    public int perWindow() {
        return perWindow;
    }

    /**
     * Returns -1 when this line must be dropped; otherwise the line may be logged and the result is
     * how many lines were dropped since the last one let through.
     */
    public long tryAcquire(long nowNanos) {
        long start = windowStart.get();
        if (nowNanos - start >= windowNanos && windowStart.compareAndSet(start, nowNanos)) {
            usedInWindow.set(0);
        }
        if (usedInWindow.incrementAndGet() > perWindow) {
            suppressed.incrementAndGet();
            return -1;
        }
        return suppressed.getAndSet(0);
    }
}
