package org.heptap.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the web server turned away and why, shown on the page and in the final log line. */
final class WebCounters {
    final LongAdder requests = new LongAdder();
    final LongAdder unauthorized = new LongAdder();
    final LongAdder badRequests = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    /** Call requests refused while the worker's queue was full. */
    final LongAdder busy = new LongAdder();

    Map<String, Long> toMap(ConnectionGate gate) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("requests", requests.sum());
        m.put("unauthorized", unauthorized.sum());
        m.put("bad-requests", badRequests.sum());
        m.put("timed-out", timedOut.sum());
        m.put("busy", busy.sum());
        m.put("connections-open", (long) gate.open());
        m.put("connections-refused", gate.refused.sum());
        return m;
    }
}
