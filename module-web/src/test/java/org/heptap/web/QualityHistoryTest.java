package org.heptap.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.heptap.core.spi.ActiveCalls;
import org.junit.jupiter.api.Test;

class QualityHistoryTest {
    private static ActiveCalls.Call call(String id, double mos) {
        return new ActiveCalls.Call(
                id, List.of(new ActiveCalls.Direction("a:1", "b:2", 7, "PCMU", 100, 1, 1.0, 2.0, mos)));
    }

    @Test
    void eachDirectionKeepsItsLastSamplesAndTheOldestCallsAreForgotten() {
        QualityHistory h = new QualityHistory();
        for (int i = 0; i < QualityHistory.MAX_SAMPLES + 5; i++) h.add(i, List.of(call("c", 1 + i / 100.0)));
        Map<String, Object> d = h.directions("c", List.of(), true).get(0);
        List<?> samples = (List<?>) d.get("samples");
        assertEquals(QualityHistory.MAX_SAMPLES, samples.size());
        assertEquals(1.05, ((Map<?, ?>) samples.get(0)).get("mos"), "the first five went");
        assertEquals(false, d.get("live"));
        for (int i = 0; i < QualityHistory.MAX_CALLS + 3; i++) h.add(1000 + i, List.of(call("n" + i, 4)));
        assertEquals(QualityHistory.MAX_CALLS, h.calls());
        assertEquals(List.of(), h.directions("c", List.of(), true), "the call measured longest ago went first");
        assertEquals(
                1,
                h.directions("n" + (QualityHistory.MAX_CALLS + 2), List.of(), false)
                        .size());
    }

    @Test
    void aLiveDirectionIsShownOnceWithItsCurrentFigures() {
        QualityHistory h = new QualityHistory();
        h.add(1, List.of(call("c", 4.0)));
        List<Map<String, Object>> d = h.directions("c", call("c", 3.5).directions(), true);
        assertEquals(1, d.size());
        assertEquals(3.5, d.get(0).get("mos"));
        assertEquals(true, d.get(0).get("live"));
        assertEquals(1, ((List<?>) d.get(0).get("samples")).size());
    }
}
