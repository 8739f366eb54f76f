package org.heptap.core.capture;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Replay speed of a capture file ({@code --speed max|real|FACTOR}): packet i is released at
 * {@code start + (ts_i - ts_0) / factor}, where start is when packet 0 was released. {@code max}
 * does not wait at all. Schedules are absolute, so sleep overshoot does not accumulate; a packet
 * whose time is earlier than its predecessor's is released at once.
 *
 * <p>One pacer belongs to one source (it remembers the first timestamp).
 */
public final class ReplayPacer {
    /** Longest single sleep, so that {@link #cancel} takes effect promptly. */
    private static final long MAX_SLEEP_NANOS = 100_000_000L;

    interface Sleeper {
        void sleep(long nanos);
    }

    private final double factor; // 0 = max
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private boolean started;
    private long firstMicros;
    private long startNanos;
    private volatile boolean cancelled;

    ReplayPacer(double factor, LongSupplier clock, Sleeper sleeper) {
        this.factor = factor;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** No pacing: as fast as the reader goes. */
    public static ReplayPacer max() {
        return new ReplayPacer(0, System::nanoTime, LockSupport::parkNanos);
    }

    /** {@code factor} times real speed (1 = the capture's own timing, 2 = twice as fast). */
    public static ReplayPacer factor(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("replay speed factor must be a positive number, got " + factor);
        }
        return new ReplayPacer(factor, System::nanoTime, LockSupport::parkNanos);
    }

    /**
     * Parses {@code max}, {@code real} or a positive factor such as {@code 2}, {@code 0.5} or
     * {@code 10x}.
     */
    public static ReplayPacer parse(String speed) {
        String s = speed == null ? "" : speed.trim().toLowerCase(Locale.ROOT);
        if (s.equals("max")) return max();
        if (s.equals("real")) return factor(1);
        String number = s.endsWith("x") ? s.substring(0, s.length() - 1) : s;
        double f;
        try {
            f = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            f = Double.NaN;
        }
        if (!(f > 0) || Double.isInfinite(f)) {
            throw new IllegalArgumentException("--speed must be max, real or a positive factor (e.g. 2 or 0.5), got '"
                    + speed + "'");
        }
        return factor(f);
    }

    public boolean isPaced() { return factor > 0; }

    /**
     * Waits until the packet with capture time {@code timestampMicros} is due. Returns false when
     * the wait was cut short by {@link #cancel} or by an interrupt (the interrupt flag stays set).
     */
    public boolean pace(long timestampMicros) {
        if (factor == 0) return true;
        if (!started) {
            started = true;
            firstMicros = timestampMicros;
            startNanos = clock.getAsLong();
            return !cancelled;
        }
        long offsetMicros = timestampMicros - firstMicros;
        if (offsetMicros <= 0) return !cancelled;
        long due = startNanos + (long) (offsetMicros * 1000.0 / factor);
        while (true) {
            if (cancelled || Thread.currentThread().isInterrupted()) return false;
            long wait = due - clock.getAsLong();
            if (wait <= 0) return true;
            sleeper.sleep(Math.min(wait, MAX_SLEEP_NANOS));
        }
    }

    /** Makes a waiting and every later {@link #pace} return false (the source was closed). */
    public void cancel() { cancelled = true; }

    /** {@code max}, {@code real} or {@code 2x}. */
    public String describe() {
        if (factor == 0) return "max";
        if (factor == 1) return "real";
        return (factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor)) + "x";
    }
}
