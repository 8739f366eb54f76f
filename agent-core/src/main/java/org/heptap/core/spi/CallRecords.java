package org.heptap.core.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The calls a module keeps the traffic of (a ring of recent calls), for readers that are not the
 * control socket (the web page): a hook of the configuration ({@link #of}) that the keeping
 * module {@link #offer offers} its {@link Source} to. It names no protocol: a call is an id, its
 * parties, how far it got, and the messages that set it up, as text between two addresses.
 */
public final class CallRecords {
    /**
     * A call as kept.
     *
     * @param callId     the call's id
     * @param from       the calling party's number (user), may be empty
     * @param to         the called party's number, may be empty
     * @param state      how far the call got (setup, ringing, answered, ended, failed 486 ...)
     * @param startNanos capture time of its first frame, ns since the epoch
     * @param lastNanos  capture time of its last frame
     * @param frames     frames kept for it
     */
    public record Call(
            String callId, String from, String to, String state, long startNanos, long lastNanos, int frames) {}

    /**
     * One signalling message of a call, as captured.
     *
     * @param timeNanos capture time, ns since the epoch
     * @param src       sender, {@code ADDRESS:PORT} ({@code [v6]:PORT})
     * @param dst       receiver
     * @param transport {@code udp} or {@code tcp}
     * @param text      the message
     */
    public record Exchange(long timeNanos, String src, String dst, String transport, String text) {}

    /**
     * Which calls to list, newest first: {@code text} a part of a number or of the Call-ID (any
     * case), {@code number} a number exactly as one of the parties, {@code callId} exactly; a
     * null filter takes every call. Times in ns since the epoch select the calls active then.
     */
    public record Query(String text, String number, String callId, long sinceNanos, long untilNanos, int limit) {
        public static Query recent(int limit) {
            return new Query(null, null, null, Long.MIN_VALUE, Long.MAX_VALUE, limit);
        }
    }

    /** What the keeping module answers; called off the capture threads, may take its time. */
    public interface Source {
        /** The calls {@code q} selects, newest first. */
        List<Call> calls(Query q);

        /** The signalling messages of the call {@code callId} in capture order (at most {@code max}), or null when none is kept. */
        List<Exchange> messages(String callId, int max);

        /**
         * Writes the call's frames (signalling and media) as a pcap file to {@code out}; false,
         * with nothing written, when no call {@code callId} is kept.
         */
        boolean pcap(String callId, OutputStream out) throws IOException;
    }

    private volatile Source source;

    /** The configuration's hook (found through its {@link ModuleHooks}). */
    public static CallRecords of(AgentContext agent) {
        return agent.hooks().get(CallRecords.class, CallRecords::new);
    }

    /** Called by the module that keeps calls, once it does. */
    public void offer(Source s) {
        source = s;
    }

    /** The module's source, or null when no module keeps calls in this configuration. */
    public Source source() {
        return source;
    }
}
