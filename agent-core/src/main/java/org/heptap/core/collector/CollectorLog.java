package org.heptap.core.collector;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import org.heptap.core.log.RateLimitedLog;

/**
 * The lines a collector socket logs about its peers, each one line naming the peer and why, at
 * most a few a minute (a hostile sender must not flood the log): connections refused or closed
 * for a limit, and peers a connection layer rejected (counted here too). Event loop only.
 */
final class CollectorLog {
    private static final Logger LOG = System.getLogger(CollectorSocket.class.getName());
    /** Lines logged per window and kind; beyond, counted and summed up in the next line. */
    static final int LINES_PER_WINDOW = 5;

    private static final long WINDOW_NANOS = 60_000_000_000L;

    private final String socket;
    private final CollectorCounters counters;
    private final RateLimitedLog rejections = new RateLimitedLog(LINES_PER_WINDOW, WINDOW_NANOS, System::nanoTime);
    private final RateLimitedLog refusals = new RateLimitedLog(LINES_PER_WINDOW, WINDOW_NANOS, System::nanoTime);

    CollectorLog(String socket, CollectorCounters counters) {
        this.socket = socket;
        this.counters = counters;
    }

    /** A connection refused or closed for a limit: logged in one line unless many came lately. */
    void refusal(InetSocketAddress peer, String what, long soFar) {
        long notLogged = refusals.tryAcquire();
        if (notLogged < 0) return;
        LOG.log(
                Level.WARNING,
                "socket " + socket + ": connection from " + hostPort(peer) + " " + what + " (" + soFar
                        + " so far" + (notLogged > 0 ? "; " + notLogged + " earlier lines not logged" : "")
                        + "; at most "
                        + LINES_PER_WINDOW + " lines a minute)");
    }

    /** A peer the connection layer refused: counted; logged in one line unless many came lately. */
    void rejected(String scheme, InetSocketAddress peer, String reason) {
        long[] n = counters.layer(scheme);
        n[1]++;
        long notLoggedCount = rejections.tryAcquire();
        if (notLoggedCount < 0) return;
        String notLogged = notLoggedCount > 0 ? "; " + notLoggedCount + " earlier ones not logged" : "";
        LOG.log(
                Level.WARNING,
                "socket " + socket + ": " + scheme + " from " + hostPort(peer) + " rejected: " + reason + " (" + n[1]
                        + " so far" + notLogged + "; at most " + LINES_PER_WINDOW + " lines a minute)");
    }

    static String hostPort(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
