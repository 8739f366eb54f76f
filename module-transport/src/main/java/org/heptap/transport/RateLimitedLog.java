package org.heptap.transport;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one log line through per interval and counts the ones it held back, so a flood of
 * oversized packets or send errors cannot turn into a flood of log lines on the hot path.
 * Thread-safe and allocation-free.
 */
final class RateLimitedLog {
    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(long intervalNanos) {
        this(intervalNanos, System::nanoTime);
    }

    RateLimitedLog(long intervalNanos, LongSupplier clock) {
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.nextAllowed = new AtomicLong(clock.getAsLong());
    }

    /**
     * Returns -1 when the caller must stay quiet, otherwise how many lines were held back since
     * the last one allowed (to be mentioned in the line).
     */
    long tryAcquire() {
        long now = clock.getAsLong();
        long next = nextAllowed.get();
        if (now - next >= 0 && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }
}
