package org.heptap.core.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters of one socket's pipeline. Written by the socket's own thread only; read by others
 * (stats, the final log line), hence volatile-free plain fields read racily but monotonic —
 * good enough for counters, and free on the hot path.
 */
public final class SocketStats {
    long frames;
    long decoded;
    long decodeFailed;
    long notAdmitted;
    long planRuns;
    long planDropped;
    long sends;
    long sendRefused;
    long sentMessages;
    long unsentMessages;
    long planErrors;

    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("frames", frames);
        m.put("decoded", decoded);
        m.put("decode-failed", decodeFailed);
        m.put("filtered", notAdmitted);
        m.put("plan-runs", planRuns);
        m.put("sent-messages", sentMessages);
        m.put("skipped-messages", unsentMessages);
        m.put("transport-sends", sends);
        m.put("transport-refused", sendRefused);
        m.put("plan-errors", planErrors);
        return m;
    }

    public long frames() { return frames; }
    public long decoded() { return decoded; }
    public long decodeFailed() { return decodeFailed; }
    public long sentMessages() { return sentMessages; }
    public long skippedMessages() { return unsentMessages; }
}
