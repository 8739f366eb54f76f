package org.heptap.core.collector;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Open TCP connections per source address, so one sender (or one host opening connections it
 * never uses) cannot take every connection a listener allows and lock the other senders out.
 * The table holds only sources with a connection open: never more entries than connections.
 * Used by one thread (the socket's).
 */
final class ConnectionLimiter {
    private final int perSource;
    private final Map<InetAddress, int[]> open = new HashMap<>();

    ConnectionLimiter(int perSource) {
        this.perSource = perSource;
    }

    /** Takes a place for a new connection from {@code source}; false when it already holds {@code perSource}. */
    boolean tryOpen(InetAddress source) {
        int[] n = open.computeIfAbsent(source, a -> new int[1]);
        if (n[0] >= perSource) return false;
        n[0]++;
        return true;
    }

    /** Gives back the place of a connection from {@code source} that {@link #tryOpen} admitted. */
    void closed(InetAddress source) {
        int[] n = open.get(source);
        if (n == null) return;
        if (--n[0] <= 0) open.remove(source);
    }

    /** Connections open from {@code source}. */
    int openFrom(InetAddress source) {
        int[] n = open.get(source);
        return n == null ? 0 : n[0];
    }

    /** Sources with a connection open. */
    int sources() {
        return open.size();
    }

    int perSource() {
        return perSource;
    }
}
