package org.heptap.core.collector;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP connections a collector socket holds, and its limits on them (event loop only): at
 * most {@code max-connections} at once and {@code max-connections-per-source} from one address
 * (more are refused at once, counted, logged rate-limited); a connection that has delivered no
 * complete message {@code tcp-first-message-timeout} after it was accepted is closed (an idle or
 * garbage-sending peer cannot hold a place for long), an idle one after {@code tcp-idle-timeout}.
 */
final class OpenConnections {
    private final List<StreamConnection> open = new ArrayList<>();
    private final int maxConnections;
    private final ConnectionLimiter perSource;
    private final long firstMessageNanos;
    private final long idleNanos;
    private final CollectorCounters counters;
    private final CollectorLog log;

    OpenConnections(
            int maxConnections,
            int maxPerSource,
            long firstMessageNanos,
            long idleNanos,
            CollectorCounters counters,
            CollectorLog log) {
        this.maxConnections = maxConnections;
        this.perSource = new ConnectionLimiter(maxPerSource);
        this.firstMessageNanos = firstMessageNanos;
        this.idleNanos = idleNanos;
        this.counters = counters;
        this.log = log;
    }

    /** Whether a new connection from {@code peer} may stay; when true it holds a place until {@link #closed}. */
    boolean admit(InetSocketAddress peer) {
        if (open.size() >= maxConnections) {
            counters.connectionsRefused++;
            log.refusal(
                    peer,
                    "refused: " + maxConnections + " connections are open (max-connections)",
                    counters.connectionsRefused);
            return false;
        }
        if (!perSource.tryOpen(peer.getAddress())) {
            counters.connectionsRefusedPerSource++;
            log.refusal(
                    peer,
                    "refused: " + perSource.perSource()
                            + " connections from its address are open (max-connections-per-source)",
                    counters.connectionsRefusedPerSource);
            return false;
        }
        return true;
    }

    void add(StreamConnection c) {
        open.add(c);
        counters.connectionsAccepted++;
    }

    /** Gives back the place of an admitted connection. */
    void closed(StreamConnection c) {
        if (open.remove(c)) perSource.closed(c.peer.getAddress());
    }

    /** Closes what sent nothing in time or was idle too long (every second). */
    void sweep(long now) {
        for (int i = open.size() - 1; i >= 0; i--) {
            StreamConnection c = open.get(i);
            if (c.paused) continue; // waiting for the plan, not for the peer
            if (c.messages == 0 && now - c.accepted > firstMessageNanos) {
                counters.connectionsFirstMessageTimeout++;
                if (!c.established()) {
                    log.rejected(c.scheme, c.peer, "did not complete the handshake within tcp-first-message-timeout");
                } else {
                    log.refusal(
                            c.peer,
                            "closed: no complete message within " + firstMessageNanos / 1_000_000
                                    + " ms (tcp-first-message-timeout)",
                            counters.connectionsFirstMessageTimeout);
                }
                c.close();
            } else if (now - c.lastActive > idleNanos) {
                counters.connectionsIdleClosed++;
                if (!c.established())
                    log.rejected(c.scheme, c.peer, "did not complete the handshake within tcp-idle-timeout");
                c.close();
            }
        }
    }

    /** Every connection, for closing the socket. */
    List<StreamConnection> all() {
        return new ArrayList<>(open);
    }
}
