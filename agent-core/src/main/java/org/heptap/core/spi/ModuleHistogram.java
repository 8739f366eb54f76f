package org.heptap.core.spi;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A distribution a module adds to the metrics endpoint ({@link ModuleMeters#histogram}): values
 * counted into fixed buckets by upper bound (Prometheus shows {@code _bucket{le=...}}, cumulative,
 * then {@code _count} and {@code _sum}). Recording is a few comparisons and two adder updates: no
 * allocation, no lock; readers see it a moment old.
 */
public final class ModuleHistogram {
    private final double[] bounds;
    /** Per bucket, not cumulative; the last one is above every bound (+Inf). */
    private final LongAdder[] counts;

    private final DoubleAdder sum = new DoubleAdder();

    /** @param bounds the buckets' upper bounds (inclusive), rising */
    public ModuleHistogram(double... bounds) {
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1]))
                throw new IllegalArgumentException("histogram bounds must rise: " + Arrays.toString(bounds));
        }
        this.bounds = bounds.clone();
        counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
    }

    /** Counts {@code v} into the first bucket whose bound is at least {@code v}. */
    public void record(double v) {
        int i = 0;
        while (i < bounds.length && v > bounds[i]) i++;
        counts[i].increment();
        sum.add(v);
    }

    /** The upper bounds, rising (+Inf, the last bucket, is not among them). */
    public double[] bounds() {
        return bounds.clone();
    }

    /** Values at most {@code bounds()[i]}; {@code i == bounds().length} is every value. */
    public long cumulative(int i) {
        long n = 0;
        for (int b = 0; b <= i; b++) n += counts[b].sum();
        return n;
    }

    public long count() {
        return cumulative(bounds.length);
    }

    public double sum() {
        return sum.sum();
    }

    /**
     * Adds what {@code other} (the same bounds) counted: a reload's new configuration continues
     * the running one's distribution.
     */
    public void addAll(ModuleHistogram other) {
        if (!Arrays.equals(bounds, other.bounds))
            throw new IllegalArgumentException(
                    "histogram bounds differ: " + Arrays.toString(bounds) + " and " + Arrays.toString(other.bounds));
        for (int i = 0; i < counts.length; i++) counts[i].add(other.counts[i].sum());
        sum.add(other.sum.sum());
    }
}
