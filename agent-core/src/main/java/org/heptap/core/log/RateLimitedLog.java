package org.heptap.core.log;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides whether a repeated log line may be written: the first event always, then at most N
 * per window, counting the ones held back so the next line written can say how many there were.
 * A flood of bad packets, refused peers or send errors must not turn into a flood of log lines,
 * and the line that does get out must not hide how many were behind it.
 *
 * <p>Call {@link #tryAcquire()} on each event: -1 means stay quiet; any other value means log
 * now, and is the number of events held back since the last line (append {@link #suffix} for the
 * usual wording). Lock-free, and allocation-free on the quiet path, since it may be asked for
 * every packet from several threads; counts are approximate when threads cross a window boundary
 * at the same moment, which is fine for log sampling.
 */
public final class RateLimitedLog {
    private final int perWindow;
    private final long windowNanos;
    private final LongSupplier clock;
    /** Start of the current window, on {@link #clock}; the first opens when this is made. */
    private final AtomicLong windowStart;

    private final AtomicInteger usedInWindow = new AtomicInteger();
    private final AtomicLong suppressed = new AtomicLong();

    /** At most {@code perWindow} lines per {@code window} {@code unit}s, on {@link System#nanoTime}. */
    public RateLimitedLog(int perWindow, long window, TimeUnit unit) {
        this(perWindow, unit.toNanos(window), System::nanoTime);
    }

    /** @param clock nanoseconds, monotonic (tests step it by hand) */
    public RateLimitedLog(int perWindow, long windowNanos, LongSupplier clock) {
        if (perWindow < 1) throw new IllegalArgumentException("perWindow must be at least 1: " + perWindow);
        if (windowNanos < 1) throw new IllegalArgumentException("windowNanos must be positive: " + windowNanos);
        this.perWindow = perWindow;
        this.windowNanos = windowNanos;
        this.clock = clock;
        this.windowStart = new AtomicLong(clock.getAsLong());
    }

    /** One line per window, as most repeated warnings want. */
    public static RateLimitedLog oncePer(long window, TimeUnit unit) {
        return new RateLimitedLog(1, window, unit);
    }

    public int perWindow() {
        return perWindow;
    }

    public long windowNanos() {
        return windowNanos;
    }

    /**
     * Returns -1 when this event must not be logged; otherwise it may be, and the result is how
     * many events were held back since the last one let through.
     */
    public long tryAcquire() {
        long now = clock.getAsLong();
        long start = windowStart.get();
        // a window ends by elapsed time, never by comparing with a fixed origin: nanoTime's is arbitrary
        if (now - start >= windowNanos && windowStart.compareAndSet(start, now)) {
            usedInWindow.set(0);
        }
        if (usedInWindow.incrementAndGet() > perWindow) {
            suppressed.incrementAndGet();
            return -1;
        }
        return suppressed.getAndSet(0);
    }

    /**
     * The usual tail of a line let through: empty when nothing was held back, else
     * {@code "; N more not logged"}. Allocates, so only call it once {@link #tryAcquire} said yes.
     */
    public static String suffix(long heldBack) {
        return heldBack > 0 ? "; " + heldBack + " more not logged" : "";
    }
}
