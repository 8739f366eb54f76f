package org.heptap.core.collector;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A collector socket's own counters. Each is written by one thread (the socket's event loop or
 * its plan thread, as grouped below) and read racily by others (stats, metrics: monotonic);
 * the reply counters are written by both and are adders.
 */
final class CollectorCounters {
    // event loop
    long datagrams;
    long streamMessages;
    long connectionsAccepted;
    long connectionsRefused;
    long connectionsRefusedPerSource;
    long connectionsFirstMessageTimeout;
    long streamBytesSkipped;
    long connectionsOversize;
    long connectionsIdleClosed;
    /** Received while every hand-off slot was taken (a datagram of a batch read before the pause). */
    long handoffDropped;
    /** Per connection layer (by scheme): handshakes completed and peers rejected. */
    final Map<String, long[]> layers = new LinkedHashMap<>();

    // plan thread
    long autoReplies;
    long repliesRefused;
    long undecodable;

    // plan thread (sent) and event loop (a write that failed takes its count back)
    final LongAdder replies = new LongAdder();
    final LongAdder replyFailures = new LongAdder();

    /** The handshake and rejection counts of a layer's scheme. */
    long[] layer(String scheme) {
        return layers.computeIfAbsent(scheme, s -> new long[2]);
    }

    void addTo(Map<String, Long> c) {
        c.put("collector-datagrams", datagrams);
        c.put("collector-stream-messages", streamMessages);
        c.put("collector-connections", connectionsAccepted);
        c.put("collector-connections-refused", connectionsRefused);
        c.put("collector-connections-refused-per-source", connectionsRefusedPerSource);
        c.put("collector-connections-first-message-timeout", connectionsFirstMessageTimeout);
        c.put("collector-stream-bytes-skipped", streamBytesSkipped);
        c.put("collector-connections-oversize", connectionsOversize);
        c.put("collector-connections-idle-closed", connectionsIdleClosed);
        c.put("collector-handoff-dropped", handoffDropped);
        c.put("collector-replies", replies.sum());
        c.put("collector-auto-replies", autoReplies);
        c.put("collector-replies-refused", repliesRefused);
        c.put("collector-reply-failures", replyFailures.sum());
    }

    void addLayersTo(Map<String, Long> c) {
        layers.forEach((scheme, n) -> {
            c.put("collector-" + scheme + "-handshakes", n[0]);
            c.put("collector-" + scheme + "-handshake-failures", n[1]);
        });
    }
}
