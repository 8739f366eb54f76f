package org.heptap.core.ledger;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transport stage of the ledger for profiles with several collectors. */
class TransportStageTest {
    /** 10 messages offered to a fan-out of two collectors: each sends all 10. */
    @Test
    void fanOutBalancesWithItsCopiesAsInput() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("sent", 20L);
        c.put("queued", 0L);
        c.put("dropped", 0L);
        c.put("fan-out-copies", 10L);
        c.put("udp:a:9060 sent", 10L);
        c.put("udp:a:9060 queued", 0L);
        c.put("udp:b:9060 sent", 10L);
        c.put("udp:b:9060 queued", 0L);
        LossLedger.Stage s = LossLedger.transportStage("fan", 10, c);
        assertTrue(s.balanced(), s.toString());
        assertEquals(20, s.in());
        assertEquals(Map.of("offered", 10L, "fan-out-copies", 10L), s.inputs());
        assertFalse(s.losses().containsKey("udp:a:9060 sent"), "a collector's share is not a loss: " + s.losses());
    }

    /** Fail-over: each message goes to one collector; the per-collector counters are that split. */
    @Test
    void failoverBalancesWithPerCollectorCounters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("sent", 7L);
        c.put("queued", 0L);
        c.put("dropped", 3L);
        c.put("tcp:a:9060 sent", 0L);
        c.put("tcp:a:9060 dropped", 3L);
        c.put("udp:b:9060 sent", 7L);
        c.put("udp:b:9060 dropped", 0L);
        LossLedger.Stage s = LossLedger.transportStage("fo", 10, c);
        assertTrue(s.balanced(), s.toString());
        assertEquals(3L, s.losses().get("dropped"));
    }
}
