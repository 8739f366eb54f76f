package org.heptap.core.spi;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters (and histograms) a module adds to the metrics endpoint ({@code metrics.listen}), e.g. the SIP module's
 * requests by method. A module asks for its counters while binding (configure, plan compile) and
 * counts on the hot path with {@link LongAdder#increment()}: no look-up or allocation per packet.
 * Each configuration has its own (so one a reload refuses leaves nothing behind); a reload that
 * is applied carries the counts over, so counters continue across reloads (which make new
 * module instances and compile plans again).
 */
public interface ModuleMeters {
    /**
     * The counter of family {@code name} (dotted, e.g. {@code heptap.sip.requests}: Prometheus
     * shows {@code heptap_sip_requests_total}) with these tags, given as key, value, key, value...;
     * made on the first request, the same counter for the same name and tags afterwards.
     *
     * @param help one line saying what is counted (Prometheus {@code # HELP})
     */
    LongAdder counter(String name, String help, String... tags);

    /**
     * The histogram of family {@code name} with these bucket bounds and tags (as for {@link
     * #counter}): Prometheus shows {@code NAME_bucket{le="..."}}, {@code NAME_count} and {@code
     * NAME_sum}. Made on the first request, the same afterwards. By default one nobody reads.
     *
     * @param help one line saying what is measured
     * @param bounds the buckets' upper bounds, rising
     */
    default ModuleHistogram histogram(String name, String help, double[] bounds, String... tags) {
        return new ModuleHistogram(bounds);
    }

    /** Counts into counters nobody reads (tools that check configurations, tests). */
    ModuleMeters NONE = (name, help, tags) -> new LongAdder();
}
