package org.heptap.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heptap.core.spi.ActiveCalls;
import org.heptap.core.spi.ActiveCallsCommand;

/**
 * Each call's media quality over time, for the call view: every rate interval the web server
 * reads the measured active calls ({@link ActiveCalls}, what {@code heptapctl calls} shows) and
 * appends a sample per direction. A call keeps its samples after its media ends, so a recent
 * call still shows how it went. Bounded: the {@value #MAX_CALLS} calls last measured, the last
 * {@value #MAX_SAMPLES} samples of each direction.
 */
final class QualityHistory {
    static final int MAX_CALLS = 500;
    static final int MAX_SAMPLES = 180;

    /** One measurement of one direction. */
    record Sample(long millis, long packets, long lost, double lossPercent, double jitterMs, double mos) {}

    /** One direction of a call's media and its samples, oldest first. */
    static final class Direction {
        final ActiveCalls.Direction first;
        final ArrayDeque<Sample> samples = new ArrayDeque<>();
        ActiveCalls.Direction last;

        Direction(ActiveCalls.Direction d) {
            first = d;
            last = d;
        }
    }

    /** Calls by Call-ID, least recently measured first; each call's directions by from, to and SSRC. */
    private final LinkedHashMap<String, LinkedHashMap<String, Direction>> calls = new LinkedHashMap<>(16, 0.75f, true);

    synchronized void add(long millis, List<ActiveCalls.Call> active) {
        for (ActiveCalls.Call c : active) {
            LinkedHashMap<String, Direction> dirs = calls.computeIfAbsent(c.callId(), k -> new LinkedHashMap<>());
            for (ActiveCalls.Direction d : c.directions()) {
                Direction h = dirs.computeIfAbsent(d.from() + ">" + d.to() + "#" + d.ssrc(), k -> new Direction(d));
                h.last = d;
                if (h.samples.size() == MAX_SAMPLES) h.samples.removeFirst();
                h.samples.addLast(new Sample(millis, d.packets(), d.lost(), d.lossPercent(), d.jitterMs(), d.mos()));
            }
        }
        while (calls.size() > MAX_CALLS) calls.remove(calls.keySet().iterator().next());
    }

    synchronized int calls() {
        return calls.size();
    }

    /**
     * The call's directions as the API shows them: the last measurement, and with
     * {@code samples} every sample kept; {@code live} the directions measured right now (they
     * win over the last sample).
     */
    synchronized List<Map<String, Object>> directions(
            String callId, List<ActiveCalls.Direction> live, boolean samples) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Direction> kept = calls.getOrDefault(callId, new LinkedHashMap<>());
        List<String> seen = new ArrayList<>();
        for (ActiveCalls.Direction d : live) {
            String key = d.from() + ">" + d.to() + "#" + d.ssrc();
            seen.add(key);
            out.add(direction(d, true, samples ? kept.get(key) : null, samples));
        }
        for (Map.Entry<String, Direction> e : kept.entrySet()) {
            if (!seen.contains(e.getKey())) out.add(direction(e.getValue().last, false, e.getValue(), samples));
        }
        return out;
    }

    private static Map<String, Object> direction(ActiveCalls.Direction d, boolean live, Direction h, boolean samples) {
        Map<String, Object> m = ActiveCallsCommand.direction(d);
        m.put("live", live);
        if (samples) {
            List<Map<String, Object>> list = new ArrayList<>();
            if (h != null) {
                for (Sample s : h.samples) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("time", java.time.Instant.ofEpochMilli(s.millis()).toString());
                    x.put("packets", s.packets());
                    x.put("lost", s.lost());
                    x.put("loss_percent", ActiveCallsCommand.round2(s.lossPercent()));
                    x.put("jitter_ms", ActiveCallsCommand.round2(s.jitterMs()));
                    x.put("mos", ActiveCallsCommand.round2(s.mos()));
                    list.add(x);
                }
            }
            m.put("samples", list);
        }
        return m;
    }
}
