package org.heptap.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The last round trip per call, bounded: the call whose value is oldest goes first. */
class CallRoundTripsTest {
    @Test
    void the_last_value_wins_unknown_calls_say_minus_one_and_the_oldest_goes() {
        CallRoundTrips r = new CallRoundTrips();
        assertEquals(-1, r.get("a"));
        r.put("a", 10);
        r.put("a", 12);
        assertEquals(12, r.get("a"));
        for (int i = 0; i < CallRoundTrips.MAX_CALLS; i++) r.put("call-" + i, i);
        assertEquals(CallRoundTrips.MAX_CALLS, r.size());
        assertEquals(-1, r.get("a"), "the oldest call was evicted");
        assertEquals(5, r.get("call-5"));
    }
}
