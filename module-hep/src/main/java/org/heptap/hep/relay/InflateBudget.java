package org.heptap.hep.relay;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many bytes each sender may still make the relay inflate: a token bucket per source address
 * refilled at {@code perSecond} bytes a second, holding at most a second's worth (or one largest
 * payload, whichever is more). A compressed payload of 1 KB can inflate to a megabyte; without a
 * budget a few hundred such packets a second keep a core busy and legitimate senders' datagrams
 * overflow the socket. With it, a sender that has spent its budget is refused before any
 * inflating, so it costs a header parse per packet.
 *
 * <p>The table holds at most {@code maxSources} senders; beyond, the one heard from least
 * recently is forgotten (it starts again with a full bucket when it comes back). Used by one
 * thread (the socket's); looking a sender up allocates nothing once it is in the table.
 */
public final class InflateBudget {
    private final double perNano;
    private final long capacity;
    private final long maxPayload;
    private final Map<Source, Bucket> buckets;
    private final Source probe = new Source();
    private Bucket current;

    /**
     * @param perSecond  bytes a second one sender may make the relay inflate
     * @param maxPayload most bytes one payload may inflate to
     * @param maxSources senders remembered at once
     */
    public InflateBudget(long perSecond, long maxPayload, int maxSources) {
        this.perNano = perSecond / 1e9;
        this.capacity = Math.max(perSecond, maxPayload);
        this.maxPayload = maxPayload;
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Source, Bucket> eldest) {
                return size() > maxSources;
            }
        };
    }

    /**
     * Bytes the sender at {@code address[0, length)} may inflate now, at most {@code maxPayload};
     * 0 when it has spent its budget. Makes it the sender {@link #charge} charges.
     */
    public long allowance(byte[] address, int length, long nowNanos) {
        probe.set(address, length);
        Bucket b = buckets.get(probe);
        if (b == null) {
            b = new Bucket(capacity, nowNanos);
            buckets.put(probe.copy(), b);
        } else {
            b.tokens = Math.min(capacity, b.tokens + (nowNanos - b.refilled) * perNano);
            b.refilled = nowNanos;
        }
        current = b;
        return Math.max(0, Math.min(maxPayload, (long) b.tokens));
    }

    /** Takes what inflating cost (also when the payload was refused) from the sender last asked about. */
    public void charge(long bytes) {
        if (current != null) current.tokens -= bytes;
    }

    /** Senders in the table. */
    public int sources() {
        return buckets.size();
    }

    public long maxPayload() {
        return maxPayload;
    }

    private static final class Bucket {
        double tokens;
        long refilled;

        Bucket(long tokens, long now) {
            this.tokens = tokens;
            this.refilled = now;
        }
    }

    /** A source address (4 or 16 bytes) as a table key. */
    private static final class Source {
        long high;
        long low;
        int length;

        void set(byte[] a, int n) {
            length = n;
            high = n == 16 ? bits(a, 0, 8) : 0;
            low = n == 16 ? bits(a, 8, 8) : bits(a, 0, n);
        }

        private static long bits(byte[] a, int off, int n) {
            long v = 0;
            for (int i = 0; i < n; i++) v = v << 8 | (a[off + i] & 0xff);
            return v;
        }

        Source copy() {
            Source s = new Source();
            s.high = high;
            s.low = low;
            s.length = length;
            return s;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Source s && s.high == high && s.low == low && s.length == length;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(high * 31 + low) * 31 + length;
        }
    }
}
