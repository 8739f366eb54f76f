package org.heptap.core.capture;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Replay speed of a capture file ({@code --speed max|real|FACTOR}): packet i is released at
 * {@code start + (ts_i - ts_0) / factor}, where start is when packet 0 was released. {@code max}
 * does not wait at all. Schedules are absolute, so sleep overshoot does not accumulate; a packet
 * whose time is earlier than its predecessor's is released at once.
 *
 * <p>No single wait is longer than the gap cap ({@code --max-gap}, default 1 s; 0 = none): a
 * capture with an idle hour in it would otherwise hold a real-speed replay for that hour. A
 * longer gap is shortened to the cap and the rest of the schedule moves up with it; the first
 * one shortened is logged, later ones are not.
 *
 * <p>One pacer belongs to one source (it remembers the first timestamp).
 */
public final class ReplayPacer {
    /** Longest single sleep, so that {@link #cancel} takes effect promptly. */
    private static final long MAX_SLEEP_NANOS = 100_000_000L;
    /** The default gap cap: the longest wait between two packets. */
    public static final Duration DEFAULT_MAX_GAP = Duration.ofSeconds(1);

    private static final System.Logger LOG = System.getLogger(ReplayPacer.class.getName());

    interface Sleeper {
        void sleep(long nanos);
    }

    private final double factor; // 0 = max
    private final long maxGapNanos; // 0 = no cap
    private final LongSupplier clock;
    private final Sleeper sleeper;
    private boolean started;
    private long firstMicros;
    private long startNanos;
    /** Capture time of the latest packet so far, and its release time on the schedule. */
    private long lastMicros;

    private long lastDueNanos;
    /** Wall time taken out of the schedule by shortened gaps. */
    private long skippedNanos;

    private long packets;
    private boolean capLogged;
    private volatile boolean cancelled;

    ReplayPacer(double factor, LongSupplier clock, Sleeper sleeper) {
        this(factor, Duration.ZERO, clock, sleeper);
    }

    ReplayPacer(double factor, Duration maxGap, LongSupplier clock, Sleeper sleeper) {
        this.factor = factor;
        this.maxGapNanos = maxGap.toNanos();
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** No pacing: as fast as the reader goes. */
    public static ReplayPacer max() {
        return new ReplayPacer(0, System::nanoTime, LockSupport::parkNanos);
    }

    /** {@code factor} times real speed (1 = the capture's own timing, 2 = twice as fast). */
    public static ReplayPacer factor(double factor) {
        return factor(factor, DEFAULT_MAX_GAP);
    }

    /** As {@link #factor(double)}, no wait longer than {@code maxGap} ({@link Duration#ZERO}: no cap). */
    public static ReplayPacer factor(double factor, Duration maxGap) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("replay speed factor must be a positive number, got " + factor);
        }
        if (maxGap.isNegative()) throw new IllegalArgumentException("the gap cap must not be negative, got " + maxGap);
        return new ReplayPacer(factor, maxGap, System::nanoTime, LockSupport::parkNanos);
    }

    /**
     * Parses {@code max}, {@code real} or a positive factor such as {@code 2}, {@code 0.5} or
     * {@code 10x}.
     */
    public static ReplayPacer parse(String speed) {
        return parse(speed, DEFAULT_MAX_GAP);
    }

    /** As {@link #parse(String)}, no wait longer than {@code maxGap} ({@link Duration#ZERO}: no cap). */
    public static ReplayPacer parse(String speed, Duration maxGap) {
        String s = speed == null ? "" : speed.trim().toLowerCase(Locale.ROOT);
        if (s.equals("max")) return max();
        if (s.equals("real")) return factor(1, maxGap);
        String number = s.endsWith("x") ? s.substring(0, s.length() - 1) : s;
        double f;
        try {
            f = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            f = Double.NaN;
        }
        if (!(f > 0) || Double.isInfinite(f)) {
            throw new IllegalArgumentException(
                    "--speed must be max, real or a positive factor (e.g. 2 or 0.5), got '" + speed + "'");
        }
        return factor(f, maxGap);
    }

    public boolean isPaced() {
        return factor > 0;
    }

    /**
     * Waits until the packet with capture time {@code timestampMicros} is due. Returns false when
     * the wait was cut short by {@link #cancel} or by an interrupt (the interrupt flag stays set).
     */
    public boolean pace(long timestampMicros) {
        if (factor == 0) return true;
        packets++;
        if (!started) {
            started = true;
            firstMicros = timestampMicros;
            lastMicros = timestampMicros;
            startNanos = clock.getAsLong();
            lastDueNanos = startNanos;
            return !cancelled;
        }
        if (timestampMicros <= lastMicros) return !cancelled; // not later than its predecessor: at once
        long due = startNanos + (long) ((timestampMicros - firstMicros) * 1000.0 / factor) - skippedNanos;
        if (maxGapNanos > 0 && due - lastDueNanos > maxGapNanos) {
            long gap = due - lastDueNanos;
            skippedNanos += gap - maxGapNanos;
            due = lastDueNanos + maxGapNanos;
            if (!capLogged) {
                capLogged = true;
                LOG.log(
                        System.Logger.Level.INFO,
                        String.format(
                                Locale.ROOT,
                                "replay: a wait of %.3f s before packet %d"
                                        + " shortened to %s (--max-gap; later long gaps are shortened too, without a log)",
                                gap / 1e9,
                                packets,
                                describe(maxGapNanos)));
            }
        }
        lastMicros = timestampMicros;
        lastDueNanos = due;
        while (true) {
            if (cancelled || Thread.currentThread().isInterrupted()) return false;
            long wait = due - clock.getAsLong();
            if (wait <= 0) return true;
            sleeper.sleep(Math.min(wait, MAX_SLEEP_NANOS));
        }
    }

    /** Makes a waiting and every later {@link #pace} return false (the source was closed). */
    public void cancel() {
        cancelled = true;
    }

    private static String describe(long nanos) {
        return nanos % 1_000_000_000L == 0 ? nanos / 1_000_000_000L + " s" : nanos / 1_000_000L + " ms";
    }

    /** {@code max}, {@code real} or {@code 2x}. */
    public String describe() {
        if (factor == 0) return "max";
        if (factor == 1) return "real";
        return (factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor)) + "x";
    }
}
