package org.heptap.core.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.heptap.core.spi.ModuleHistogram;
import org.heptap.core.spi.ModuleMeters;

/**
 * The counters and histograms modules registered through {@link ModuleMeters}, for the metrics endpoint. Each
 * configuration has its own ({@link org.heptap.core.config.AgentConfig#moduleCounters()}), so
 * one a reload refuses registers nothing where the running one is read; a reload that is applied
 * carries the running counts over ({@link #continueFrom}), so counters never go back.
 */
public final class ModuleCounters implements ModuleMeters {
    /** One series: a family name, its help text, its tags (in the order given) and the count. */
    public record Series(String name, String help, Map<String, String> tags, LongAdder count) {
        /** The tags as key, value, key, value... (what {@link ModuleMeters#counter} takes). */
        String[] tagPairs() {
            List<String> pairs = new ArrayList<>();
            tags.forEach((k, v) -> {
                pairs.add(k);
                pairs.add(v);
            });
            return pairs.toArray(String[]::new);
        }
    }

    /** One histogram: a family name, its help text, its tags and the distribution. */
    public record HistogramSeries(String name, String help, Map<String, String> tags, ModuleHistogram histogram) {}

    private final Map<String, Series> series = new ConcurrentHashMap<>();
    private final Map<String, HistogramSeries> histograms = new ConcurrentHashMap<>();

    @Override
    public LongAdder counter(String name, String help, String... tags) {
        Map<String, String> t = tags(name, tags);
        return series.computeIfAbsent(
                        key(name, t), k -> new Series(name, help, Collections.unmodifiableMap(t), new LongAdder()))
                .count();
    }

    @Override
    public ModuleHistogram histogram(String name, String help, double[] bounds, String... tags) {
        Map<String, String> t = tags(name, tags);
        return histograms
                .computeIfAbsent(
                        key(name, t),
                        k -> new HistogramSeries(
                                name, help, Collections.unmodifiableMap(t), new ModuleHistogram(bounds)))
                .histogram();
    }

    private static Map<String, String> tags(String name, String... tags) {
        if (tags.length % 2 != 0) throw new IllegalArgumentException(name + ": tags come as key, value pairs");
        Map<String, String> t = new LinkedHashMap<>();
        for (int i = 0; i < tags.length; i += 2) t.put(tags[i], tags[i + 1]);
        return t;
    }

    private static String key(String name, Map<String, String> tags) {
        StringBuilder key = new StringBuilder(name);
        tags.forEach((k, v) -> key.append('\0').append(k).append('=').append(v));
        return key.toString();
    }

    /**
     * Adds what {@code previous} (the configuration this one replaces) counted to the same series
     * here, making the series this configuration did not register: called once the previous
     * configuration's plans stopped running, so nothing counted there is lost or counted twice.
     */
    public void continueFrom(ModuleCounters previous) {
        for (Series s : previous.series.values()) {
            counter(s.name(), s.help(), s.tagPairs()).add(s.count().sum());
        }
        for (HistogramSeries h : previous.histograms.values()) {
            histograms
                    .computeIfAbsent(
                            key(h.name(), h.tags()),
                            k -> new HistogramSeries(
                                    h.name(),
                                    h.help(),
                                    h.tags(),
                                    new ModuleHistogram(h.histogram().bounds())))
                    .histogram()
                    .addAll(h.histogram());
        }
    }

    /** The count of {@code s}'s series here (0 when this configuration has no such series). */
    public long count(Series s) {
        Series here = series.get(key(s.name(), s.tags()));
        return here == null ? 0 : here.count().sum();
    }

    /** Every histogram registered so far. */
    public List<HistogramSeries> histograms() {
        return new ArrayList<>(histograms.values());
    }

    /** Every series registered so far. */
    public List<Series> series() {
        return new ArrayList<>(series.values());
    }
}
