package org.heptap.core.log;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The old face of {@link RateLimitedLog}, where the caller passes the time on each call. Kept
 * only until the collector socket (being rewritten) moves to {@link RateLimitedLog}; then delete
 * it. Behaves as {@code new RateLimitedLog(perWindow, windowNanos, clock)}.
 *
 * @deprecated use {@link RateLimitedLog}
 */
@Deprecated
public final class LogRateLimiter {
    public static final long WINDOW_NANOS = 1_000_000_000L;

    /** The time of the call being answered; callers' clocks are the one the limiter reads. */
    private final AtomicLong now;
    private final RateLimitedLog limiter;

    public LogRateLimiter(int perWindow, long nowNanos) {
        this(perWindow, WINDOW_NANOS, nowNanos);
    }

    public LogRateLimiter(int perWindow, long windowNanos, long nowNanos) {
        this.now = new AtomicLong(nowNanos);
        this.limiter = new RateLimitedLog(perWindow, windowNanos, now::get);
    }

    public int perWindow() {
        return limiter.perWindow();
    }

    /** See {@link RateLimitedLog#tryAcquire()}. */
    public long tryAcquire(long nowNanos) {
        now.set(nowNanos);
        return limiter.tryAcquire();
    }
}
