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
    /** Frames read while the socket was paused (heptapctl pause): read so the kernel never drops, not decoded. */
    long pausedFrames;
    /** Messages from or to an address of the socket's {@code discard-ips}. */
    long discardedIp;
    /** TCP segments handed to stream reassembly: they reach the plan as the messages framed from them. */
    long streamSegments;
    /** Messages framed from TCP streams. */
    long streamMessages;
    /** Counter names of the socket's module discard lists, and what each dropped (same index). */
    String[] discardNames = new String[0];
    long[] discarded = new long[0];
    /** Frames per {@link org.heptap.core.decode.DecodeResult}, by ordinal: the decode stage of the loss ledger. */
    final long[] decodeResults = new long[org.heptap.core.decode.DecodeResult.values().length];

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
        m.put("discarded-ip", discardedIp);
        for (int i = 0; i < discardNames.length; i++) m.put(discardNames[i], discarded[i]);
        return m;
    }

    public long frames() { return frames; }
    public long decoded() { return decoded; }
    public long decodeFailed() { return decodeFailed; }
    public long sentMessages() { return sentMessages; }
    public long skippedMessages() { return unsentMessages; }
    public long notAdmitted() { return notAdmitted; }
    public long planErrors() { return planErrors; }
    public long planDropped() { return planDropped; }
    public long transportSends() { return sends; }
    public long transportRefused() { return sendRefused; }
    public long pausedFrames() { return pausedFrames; }
    public long discardedIp() { return discardedIp; }
    public long streamSegments() { return streamSegments; }
    public long streamMessages() { return streamMessages; }

    /** What each module discard list of the socket dropped, by counter name (e.g. {@code discarded-method}). */
    public Map<String, Long> discardedByList() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < discardNames.length; i++) m.put(discardNames[i], discarded[i]);
        return m;
    }

    /** Declares the socket's module discard lists (once, before the first packet). */
    void declareDiscardLists(String[] names) {
        discardNames = names.clone();
        discarded = new long[names.length];
    }
    public long decodeResult(org.heptap.core.decode.DecodeResult r) { return decodeResults[r.ordinal()]; }
}
