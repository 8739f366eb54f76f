package org.heptap.core.decode;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reassembles IPv4 and IPv6 fragments into whole datagrams, in any arrival order.
 *
 * <p>Each datagram in flight owns one buffer: the fragment data is copied into it once, at its
 * offset, behind room for a rebuilt IP header. Where fragments overlap, the bytes that arrived
 * first are kept (what later fragments say about them is ignored), so the result does not depend
 * on which overlap handling a sender or attacker hoped for. A completed datagram is a plain IP
 * packet (IPv4 without options and fragment fields, IPv6 without extension headers before the
 * fragment header) that the decoder takes apart as if it had been captured whole.
 *
 * <p>Bounded: at most {@code maxDatagrams} in flight and {@code maxBytes} of buffers; when either
 * is reached the oldest datagram is dropped. A datagram still incomplete {@code timeoutMicros}
 * (capture time) after its first fragment is dropped. Every drop is counted. One instance belongs
 * to one decoder thread.
 */
public final class FragmentReassembler {
    static final int HELD = 0;
    static final int COMPLETE = 1;
    static final int DROPPED = 2;

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    /** Largest reassembled payload: IPv4 total length or IPv6 payload length is 16 bits. */
    private static final int MAX_PAYLOAD = 65535;
    /** Disjoint byte ranges one datagram may be in; more means a hostile or broken sender. */
    private static final int MAX_RANGES = 64;

    private static final int FIRST_CAPACITY = 2048;
    /** Buffers kept for reuse: enough for a steady trickle of fragmented INVITEs. */
    private static final int SPARE_DATAGRAMS = 32;

    private static final int SPARE_MAX_CAPACITY = 16 * 1024;

    private final int maxDatagrams;
    private final long maxBytes;
    private final long timeoutMicros;
    /** Insertion order is the order of first fragments: the head is the oldest datagram. */
    private final LinkedHashMap<Key, Datagram> inFlight = new LinkedHashMap<>();

    private final ArrayDeque<Datagram> spare = new ArrayDeque<>();
    private final Key probe = new Key();
    private long bytesHeld;
    private Datagram completed;

    private long reassembled;
    private long timedOut;
    private long evictedForCount;
    private long evictedForBytes;
    private long invalid;

    public FragmentReassembler(int maxDatagrams, long maxBytes, long timeoutMicros) {
        this.maxDatagrams = Math.max(1, maxDatagrams);
        this.maxBytes = Math.max(MAX_PAYLOAD + IPV6_HEADER, maxBytes);
        this.timeoutMicros = timeoutMicros;
    }

    /**
     * Takes the fragment the cursor stands on (set by {@link Ipv4Layer}/{@link Ipv6Layer}: data from
     * {@code c.offset} to {@code c.ipEnd}, all captured). Returns {@link #HELD}, {@link #DROPPED}
     * or {@link #COMPLETE}; then {@link #completedData()} and {@link #completedLength()} give the
     * datagram until {@link #release()}.
     */
    int offer(PacketCursor c, long nowMicros) {
        release();
        expire(nowMicros);
        boolean v4 = c.ipVersion == 4;
        int offset;
        boolean more;
        long id;
        if (v4) {
            int flags = c.u16(c.ipStart + 6);
            offset = (flags & 0x1fff) * 8;
            more = (flags & 0x2000) != 0;
            id = c.u16(c.ipStart + 4);
        } else {
            int field = c.u16(c.fragmentHeader + 2);
            offset = field & 0xfff8;
            more = (field & 1) != 0;
            id = c.u32(c.fragmentHeader + 4) & 0xffffffffL;
        }
        int length = c.ipEnd - c.offset;
        int end = offset + length;
        // an empty fragment, one past the largest datagram, or a non-last one of odd size
        if (length <= 0 || end > MAX_PAYLOAD || (more && (length & 7) != 0)) {
            invalid++;
            return DROPPED;
        }
        probe.set(c, v4, id);
        Datagram d = inFlight.get(probe);
        if (d == null) {
            while (inFlight.size() >= maxDatagrams) {
                evictedForCount++;
                drop(inFlight.values().iterator().next());
            }
            d = spare.isEmpty() ? new Datagram() : spare.pop();
            d.start(probe, v4 ? IPV4_HEADER : IPV6_HEADER, nowMicros);
            if (d.buf != null) {
                if (bytesHeld + d.buf.length > maxBytes) d.buf = null;
                else bytesHeld += d.buf.length;
            }
            inFlight.put(d.key, d);
        }
        if (d.total >= 0 && (end > d.total || (!more && end != d.total))) {
            invalid++; // contradicts the last fragment already seen
            drop(d);
            return DROPPED;
        }
        if (!ensureCapacity(d, d.headerLength + end)) return DROPPED;
        if (!d.add(c.data, c.offset, offset, end)) {
            invalid++;
            drop(d);
            return DROPPED;
        }
        if (!more) d.total = end;
        if (offset == 0 || !d.headerCopied) d.copyHeader(c);
        if (!d.complete()) return HELD;
        d.finishHeader();
        inFlight.remove(d.key);
        completed = d;
        reassembled++;
        return COMPLETE;
    }

    byte[] completedData() {
        return completed.buf;
    }

    int completedLength() {
        return completed.headerLength + completed.total;
    }

    /** Gives the completed datagram's buffer back; called before the next fragment is taken. */
    void release() {
        if (completed == null) return;
        recycle(completed);
        completed = null;
    }

    private boolean ensureCapacity(Datagram d, int needed) {
        int cap = d.buf == null ? 0 : d.buf.length;
        if (cap >= needed) return true;
        int next = Math.min(MAX_PAYLOAD + IPV6_HEADER, Math.max(needed, Math.max(FIRST_CAPACITY, cap * 2)));
        long delta = next - cap;
        while (bytesHeld + delta > maxBytes) {
            Datagram oldest = inFlight.values().iterator().next();
            evictedForBytes++;
            drop(oldest);
            if (oldest == d) return false;
        }
        d.buf = d.buf == null ? new byte[next] : Arrays.copyOf(d.buf, next);
        bytesHeld += delta;
        return true;
    }

    private void expire(long now) {
        Iterator<Datagram> it = inFlight.values().iterator();
        while (it.hasNext()) {
            Datagram d = it.next();
            if (now - d.firstSeen <= timeoutMicros) break;
            it.remove();
            timedOut++;
            recycle(d);
        }
    }

    private void drop(Datagram d) {
        inFlight.remove(d.key);
        recycle(d);
    }

    private void recycle(Datagram d) {
        int cap = d.buf == null ? 0 : d.buf.length;
        bytesHeld -= cap;
        // spare buffers are few and small, so they stay outside the bound until taken again
        if (cap > SPARE_MAX_CAPACITY) d.buf = null;
        if (spare.size() < SPARE_DATAGRAMS) spare.push(d);
    }

    /** Datagrams being reassembled now. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Bytes held by the buffers of datagrams in flight. */
    public long bytesHeld() {
        return bytesHeld;
    }

    /** Counters for the socket's log line and metrics. */
    public void addCounters(Map<String, Long> out) {
        out.put("fragments-reassembled", reassembled);
        out.put("fragments-timed-out", timedOut);
        out.put("fragments-evicted", evictedForCount);
        out.put("fragments-evicted-bytes", evictedForBytes);
        out.put("fragments-invalid", invalid);
    }

    public long reassembled() {
        return reassembled;
    }

    public long timedOut() {
        return timedOut;
    }

    public long evictedForCount() {
        return evictedForCount;
    }

    public long evictedForBytes() {
        return evictedForBytes;
    }

    public long invalid() {
        return invalid;
    }

    /** Identity of a datagram: addresses, id and (IPv4) protocol, as RFC 791 and 8200 say. */
    private static final class Key {
        final byte[] addresses = new byte[32];
        int addressLength;
        int protocol;
        long id;
        int hash;

        void set(PacketCursor c, boolean v4, long id) {
            addressLength = v4 ? 4 : 16;
            System.arraycopy(c.data, c.srcAddrOffset, addresses, 0, addressLength);
            System.arraycopy(c.data, c.dstAddrOffset, addresses, addressLength, addressLength);
            protocol = v4 ? c.protocol : -1;
            this.id = id;
            int h = (int) (id ^ (id >>> 32)) * 31 + protocol;
            for (int i = 0; i < addressLength * 2; i++) h = h * 31 + addresses[i];
            hash = h;
        }

        void copyFrom(Key k) {
            System.arraycopy(k.addresses, 0, addresses, 0, 32);
            addressLength = k.addressLength;
            protocol = k.protocol;
            id = k.id;
            hash = k.hash;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key k)) return false;
            return k.hash == hash
                    && k.id == id
                    && k.protocol == protocol
                    && k.addressLength == addressLength
                    && Arrays.equals(addresses, 0, addressLength * 2, k.addresses, 0, addressLength * 2);
        }
    }

    private static final class Datagram {
        final Key key = new Key();
        byte[] buf;
        int headerLength;
        /** Payload length, known once the last fragment arrived; -1 before. */
        int total;

        long firstSeen;
        boolean headerCopied;
        /** Sorted, disjoint, non-adjacent [start, end) ranges of payload received. */
        final int[] ranges = new int[MAX_RANGES * 2];

        int rangeCount;

        void start(Key k, int headerLength, long now) {
            key.copyFrom(k);
            this.headerLength = headerLength;
            total = -1;
            firstSeen = now;
            headerCopied = false;
            rangeCount = 0;
        }

        /** Copies the bytes of [from, to) not received yet; false when the datagram is too scattered. */
        boolean add(byte[] src, int srcOffset, int from, int to) {
            int pos = from;
            for (int i = 0; i < rangeCount && pos < to; i++) {
                int a = ranges[2 * i];
                int b = ranges[2 * i + 1];
                if (b <= pos) continue;
                if (a >= to) break;
                if (a > pos) copy(src, srcOffset, from, pos, a);
                pos = Math.max(pos, b);
            }
            if (pos < to) copy(src, srcOffset, from, pos, to);
            return merge(from, to);
        }

        private void copy(byte[] src, int srcOffset, int from, int a, int b) {
            System.arraycopy(src, srcOffset + (a - from), buf, headerLength + a, b - a);
        }

        private boolean merge(int from, int to) {
            // find where [from, to) goes, swallow what it touches
            int i = 0;
            while (i < rangeCount && ranges[2 * i + 1] < from) i++;
            int j = i;
            int a = from;
            int b = to;
            while (j < rangeCount && ranges[2 * j] <= to) {
                a = Math.min(a, ranges[2 * j]);
                b = Math.max(b, ranges[2 * j + 1]);
                j++;
            }
            int removed = j - i;
            if (removed == 0) {
                if (rangeCount == MAX_RANGES) return false;
                System.arraycopy(ranges, 2 * i, ranges, 2 * i + 2, 2 * (rangeCount - i));
                rangeCount++;
            } else if (removed > 1) {
                System.arraycopy(ranges, 2 * j, ranges, 2 * i + 2, 2 * (rangeCount - j));
                rangeCount -= removed - 1;
            }
            ranges[2 * i] = a;
            ranges[2 * i + 1] = b;
            return true;
        }

        boolean complete() {
            return total >= 0 && rangeCount == 1 && ranges[0] == 0 && ranges[1] == total;
        }

        void copyHeader(PacketCursor c) {
            System.arraycopy(c.data, c.ipStart, buf, 0, headerLength);
            if (headerLength == IPV6_HEADER) buf[6] = (byte) c.protocol; // the fragment header's next header
            headerCopied = true;
        }

        void finishHeader() {
            if (headerLength == IPV4_HEADER) {
                int totalLength = IPV4_HEADER + total;
                buf[0] = 0x45; // options, if any, stay out: they are not needed to reach the payload
                buf[2] = (byte) (totalLength >> 8);
                buf[3] = (byte) totalLength;
                buf[6] = 0;
                buf[7] = 0;
            } else {
                buf[4] = (byte) (total >> 8);
                buf[5] = (byte) total;
            }
        }
    }
}
