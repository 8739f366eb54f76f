package org.heptap.hep.transport;

import java.util.function.LongSupplier;

/**
 * One line per interval: {@link org.heptap.core.log.RateLimitedLog} with one line per window.
 * Kept only until the stream transport (being split up) uses that class directly; then delete it.
 *
 * @deprecated use {@link org.heptap.core.log.RateLimitedLog}
 */
@Deprecated
final class RateLimitedLog {
    private final org.heptap.core.log.RateLimitedLog limiter;

    RateLimitedLog(long intervalNanos) {
        this(intervalNanos, System::nanoTime);
    }

    RateLimitedLog(long intervalNanos, LongSupplier clock) {
        this.limiter = new org.heptap.core.log.RateLimitedLog(1, intervalNanos, clock);
    }

    /** See {@link org.heptap.core.log.RateLimitedLog#tryAcquire()}. */
    long tryAcquire() {
        return limiter.tryAcquire();
    }
}
