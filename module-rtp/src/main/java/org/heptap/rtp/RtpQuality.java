package org.heptap.rtp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What RTP analysis shows to the rest of the agent, thread-safe: the streams being analysed,
 * grouped by Call-ID ({@link #activeCalls}, a snapshot each analysing socket's thread publishes
 * at most about once a second), and each final report as it is sent ({@link #addFinalReportListener}).
 * One per configuration: {@link RtpModule#quality()}, or {@link #of} for another module of the
 * same configuration (a console summary line, a metrics histogram).
 */
public final class RtpQuality {
    /** The configuration's view (found through its {@link org.heptap.core.spi.ModuleHooks}). */
    public static RtpQuality of(org.heptap.core.spi.AgentContext agent) {
        return agent.hooks().get(RtpQuality.class, RtpQuality::new);
    }

    /** The last snapshot of each analysing socket, by socket name. */
    private final Map<String, List<StreamQuality>> bySocket = new LinkedHashMap<>();

    private final CopyOnWriteArrayList<Consumer<StreamQuality>> finalListeners = new CopyOnWriteArrayList<>();

    /** Active streams grouped by Call-ID, in the order their calls were first seen. */
    public synchronized List<CallQuality> activeCalls() {
        Map<String, List<StreamQuality>> calls = new LinkedHashMap<>();
        for (List<StreamQuality> streams : bySocket.values()) {
            for (StreamQuality q : streams)
                calls.computeIfAbsent(q.callId(), k -> new ArrayList<>()).add(q);
        }
        List<CallQuality> out = new ArrayList<>(calls.size());
        calls.forEach((id, streams) -> out.add(new CallQuality(id, streams)));
        return out;
    }

    /**
     * Calls {@code listener} with every final report, on the analysing socket's thread, right
     * after it was sent: it must be quick, must not block and must not throw.
     */
    public void addFinalReportListener(Consumer<StreamQuality> listener) {
        finalListeners.add(listener);
    }

    public void removeFinalReportListener(Consumer<StreamQuality> listener) {
        finalListeners.remove(listener);
    }

    synchronized void publish(String socket, List<StreamQuality> streams) {
        bySocket.put(socket, List.copyOf(streams));
    }

    void finalReport(StreamQuality q) {
        for (Consumer<StreamQuality> l : finalListeners) l.accept(q);
    }
}
