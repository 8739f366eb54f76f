package org.heptap.sip;

import java.util.LinkedHashMap;
import java.util.Map;
import org.heptap.core.spi.AgentContext;

/**
 * The last round-trip time measured for each call, by Call-ID: the RTCP module learns it from
 * receiver reports (RFC 3550 §6.4.1: arrival − LSR − DLSR), the RTP module reads it for the
 * E-model's delay. One per configuration ({@link #of}, through its hooks). Written per RTCP
 * report and read per quality report, never per RTP packet; bounded (the oldest call goes).
 */
public final class CallRoundTrips {
    static final int MAX_CALLS = 65_536;

    private final LinkedHashMap<String, Double> byCall = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
            return size() > MAX_CALLS;
        }
    };

    public static CallRoundTrips of(AgentContext agent) {
        return agent.hooks().get(CallRoundTrips.class, CallRoundTrips::new);
    }

    public synchronized void put(String callId, double ms) {
        byCall.remove(callId); // re-inserted as the newest
        byCall.put(callId, ms);
    }

    /** The call's last round trip in ms, or -1 when none was measured. */
    public synchronized double get(String callId) {
        Double v = byCall.get(callId);
        return v == null ? -1 : v;
    }

    synchronized int size() {
        return byCall.size();
    }
}
