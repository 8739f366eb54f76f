package org.heptap.core.spi;

import java.time.Duration;
import java.util.Map;
import org.heptap.core.message.Message;

/**
 * A named destination that plans send to ({@code send_hep("name")}). Implementations copy what
 * they need from the message before {@link #send} returns (the payload slice is only valid during
 * the plan run), queue it, and deliver it from their own thread: the capture thread never waits
 * on the network. In offline runs ({@link AgentContext#offline()}) a full queue makes
 * {@code send} wait instead of dropping.
 */
public interface Transport {
    String name();

    /** One line for the start-up log: what this sends where (no secrets). */
    String describe();

    /**
     * Opens sockets/threads. Called once before the first packet. Throws IllegalStateException with
     * a message for the operator (starting "transport NAME: ") when it cannot start; the agent then
     * stops with that message.
     */
    default void start() {}

    /** Encodes and queues the message; false when it was dropped (and counted). */
    boolean send(Message message);

    /** Delivers what is queued, waiting at most {@code timeout}; true when nothing is left. */
    boolean drain(Duration timeout);

    /** Releases sockets and threads; queued data not yet sent is counted as dropped. */
    void close();

    /**
     * Counters for stats and the final log line (sent, bytes, queued, dropped, ...). The loss
     * ledger reads {@code sent} as output, {@code queued} and every counter it does not know as
     * a loss, and a spool's {@code spooled} / {@code replayed} / {@link #FROM_EARLIER_SPOOL}.
     */
    Map<String, Long> counters();

    /**
     * Each collector this transport sends to ({@code tcp:HOST:PORT}) and whether it is reachable
     * now: false while a stream collector is between a failure and its next connection. Empty
     * when the transport has no collector to lose (the console). Read from any thread.
     */
    default Map<String, Boolean> collectorHealth() {
        return Map.of();
    }

    /**
     * Counter of messages an earlier run left in this transport's on-disk spool, found at start:
     * an input of this run besides what plans offer (they are sent first and counted as sent).
     */
    String FROM_EARLIER_SPOOL = "from-earlier-spool";

    /**
     * Counter of the extra copies a fan-out made: a message offered once and sent to n collectors
     * counts n - 1 here, an input of this run besides what plans offer (each copy is then sent,
     * queued or lost like any message).
     */
    String FAN_OUT_COPIES = "fan-out-copies";

    /**
     * True for a counter that is one collector's share of a total the transport also reports
     * ({@code "tcp:10.0.0.1:9060 sent"}: the collector, a space, the counter): shown per
     * collector, never counted a second time.
     */
    static boolean isCollectorShare(String counter) {
        return counter.indexOf(' ') > 0;
    }

    /**
     * The transport itself under any wrapper the agent puts around it (the per-socket counting a
     * plan's sends go through), for bind-time checks of what kind of transport a profile is.
     * Send through the wrapper, not through what this returns.
     */
    default Transport unwrap() {
        return this;
    }

    /**
     * Another way of sending to the same collectors that a module offers under a name (the HEP
     * module's {@code "raw"}: the payload without HEP, for send_hep_raw), or null when this
     * transport has none. The agent's per-socket counting wraps the variant as it wraps this.
     */
    default Transport variant(String name) {
        return null;
    }
}
