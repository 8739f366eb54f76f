package org.heptap.web;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heptap.core.ledger.LossLedger;

/**
 * The rate charts' data: every interval, each socket's and transport's running totals (from the
 * loss ledger the agent keeps anyway), the last {@link WebSettings#RATE_WINDOW} of them. The page
 * turns two neighbouring samples into a rate. Bounded: {@code window / interval} samples.
 */
final class RateSamples {
    /** Socket counters charted: frames captured, messages the plans sent. */
    static final List<String> SOCKET_KEYS = List.of("captured", "decoded", "plan-sent");
    /** Transport counters charted. */
    static final List<String> TRANSPORT_KEYS = List.of("sent", "queued", "dropped");

    record Sample(long millis, Map<String, Map<String, Long>> sockets, Map<String, Map<String, Long>> transports) {}

    private final int capacity;
    private final long intervalMillis;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    RateSamples(Duration interval, Duration window) {
        this.intervalMillis = interval.toMillis();
        this.capacity = (int) Math.max(2, window.toMillis() / intervalMillis + 1);
    }

    synchronized void add(long millis, LossLedger ledger) {
        Map<String, Map<String, Long>> s = new LinkedHashMap<>();
        for (String name : ledger.sockets().keySet()) s.put(name, pick(ledger.socket(name), SOCKET_KEYS));
        Map<String, Map<String, Long>> t = new LinkedHashMap<>();
        for (String name : ledger.transports().keySet()) t.put(name, pick(ledger.transport(name), TRANSPORT_KEYS));
        if (samples.size() == capacity) samples.removeFirst();
        samples.addLast(new Sample(millis, s, t));
    }

    private static Map<String, Long> pick(Map<String, Long> counters, List<String> keys) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String k : keys) m.put(k, counters == null ? 0L : counters.getOrDefault(k, 0L));
        return m;
    }

    synchronized int size() {
        return samples.size();
    }

    synchronized Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("interval-seconds", intervalMillis / 1000.0);
        m.put("samples", new ArrayList<>(samples));
        return m;
    }
}
