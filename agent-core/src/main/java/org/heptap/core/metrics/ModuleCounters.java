package org.heptap.core.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.heptap.core.spi.ModuleMeters;

/**
 * The counters modules registered through {@link ModuleMeters}, for the metrics endpoint. One per
 * process ({@link #process()}): configurations loaded at start and at each reload hand it to
 * their modules, so a counter outlives the module instance that made it.
 */
public final class ModuleCounters implements ModuleMeters {
    private static final ModuleCounters PROCESS = new ModuleCounters();

    /** One series: a family name, its help text, its tags (in the order given) and the count. */
    public record Series(String name, String help, Map<String, String> tags, LongAdder count) {}

    private final Map<String, Series> series = new ConcurrentHashMap<>();

    /** Counters of their own (tests); the agent uses {@link #process()}. */
    public ModuleCounters() {}

    /** The counters of this process (what the agent and its reloads use). */
    public static ModuleCounters process() {
        return PROCESS;
    }

    @Override
    public LongAdder counter(String name, String help, String... tags) {
        if (tags.length % 2 != 0) throw new IllegalArgumentException(name + ": tags come as key, value pairs");
        StringBuilder key = new StringBuilder(name);
        Map<String, String> t = new LinkedHashMap<>();
        for (int i = 0; i < tags.length; i += 2) {
            t.put(tags[i], tags[i + 1]);
            key.append('\0').append(tags[i]).append('=').append(tags[i + 1]);
        }
        return series.computeIfAbsent(key.toString(), k -> new Series(name, help, Map.copyOf(t), new LongAdder()))
                .count();
    }

    /** Every series registered so far. */
    public List<Series> series() {
        return new ArrayList<>(series.values());
    }
}
