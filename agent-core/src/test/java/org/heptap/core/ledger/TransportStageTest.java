package org.heptap.core.ledger;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transport stage of the ledger for profiles with several collectors. */
class TransportStageTest {
    /** A transport's counters, in the order given: name, value, name, value... */
    private static Map<String, Long> counters(Object... nameValue) {
        Map<String, Long> c = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2)
            c.put((String) nameValue[i], ((Number) nameValue[i + 1]).longValue());
        return c;
    }

    /** 10 messages offered to a fan-out of two collectors: each sends all 10. */
    @Test
    void fanOutBalancesWithItsCopiesAsInput() {
        Map<String, Long> c = counters(
                "sent",
                20,
                "queued",
                0,
                "dropped",
                0,
                "fan-out-copies",
                10,
                "udp:a:9060 sent",
                10,
                "udp:a:9060 queued",
                0,
                "udp:b:9060 sent",
                10,
                "udp:b:9060 queued",
                0);
        LossLedger.Stage s = LossLedger.transportStage("fan", 10, c);
        assertTrue(s.balanced(), s.toString());
        assertEquals(20, s.in());
        assertEquals(Map.of("offered", 10L, "fan-out-copies", 10L), s.inputs());
        assertFalse(s.losses().containsKey("udp:a:9060 sent"), "a collector's share is not a loss: " + s.losses());
    }

    /** Fail-over: each message goes to one collector; the per-collector counters are that split. */
    @Test
    void failoverBalancesWithPerCollectorCounters() {
        Map<String, Long> c = counters(
                "sent",
                7,
                "queued",
                0,
                "dropped",
                3,
                "tcp:a:9060 sent",
                0,
                "tcp:a:9060 dropped",
                3,
                "udp:b:9060 sent",
                7,
                "udp:b:9060 dropped",
                0);
        LossLedger.Stage s = LossLedger.transportStage("fo", 10, c);
        assertTrue(s.balanced(), s.toString());
        assertEquals(3L, s.losses().get("dropped"));
    }
}
