package org.heptap.rtcp;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heptap.sip.IpLiteral;

/**
 * RTCP stream → SIP Call-ID, learnt from SDP offers and answers (rtcp-json.md §4).
 *
 * <p>Keys are the RTCP address and port of each media stream. A lookup tries the datagram's
 * source, then its destination (captagent's order); a hit refreshes the entry. Entries expire
 * {@code timeoutMicros} after their last registration or hit, measured in packet time (so a
 * replayed file behaves like the live traffic it recorded). The table holds at most
 * {@code maxEntries} keys: the least recently used one is evicted and counted.
 *
 * <p>NAT matching (optional): SDP behind NAT names private addresses while RTCP arrives from the
 * public side. Each registration then also stores the port alone; a datagram that matches no
 * address is tried on its source port, then destination port. On any hit the SSRCs the datagram
 * speaks for (SR/RR/SDES/XR senders, report-block sources) are learnt, so later reports of those
 * streams still match after the NAT rebinds to other ports, or when only one side's SDP was
 * seen.
 *
 * <p>End of call: {@link #callEnded} (a BYE, or its 200 OK, seen) removes every entry of the
 * Call-ID {@code byeGraceMicros} later in packet time — RTCP often trails the BYE, and those last
 * reports should still be correlated. A Call-ID → keys index (at most one key per table entry,
 * so bounded by the table) finds them; pending removals are bounded by the table size too (the
 * oldest one beyond is carried out at once, counted).
 *
 * <p>Shared by the SIP and RTCP sockets (different threads in live capture): every method
 * synchronises on the table. Lookups allocate nothing (a reused probe key).
 */
public final class CorrelationTable {
    /**
     * Set once a plan binds a function that reads the table (is_rtcp_exist). Until then nothing
     * can use a registration, so SIP plans skip the work: a SIP-only agent (no RTCP socket) does
     * not keep a table of every call's media.
     */
    private volatile boolean read;

    private final int maxEntries;
    private final long timeoutMicros;
    private final boolean nat;
    private final long byeGraceMicros;
    private final LinkedHashMap<FlowKey, Entry> map;
    /** Every key of the table, by the Call-ID it maps to. */
    private final java.util.HashMap<CallId, java.util.HashSet<FlowKey>> byCall = new java.util.HashMap<>();
    /** Calls that ended, with the packet time their entries go, in the order they ended. */
    private final LinkedHashMap<CallId, Long> ending;

    private final FlowKey probe = new FlowKey();
    private final byte[] scratch = new byte[16];

    private long registered;
    private long updated;
    private long hits;
    private long misses;
    private long evicted;
    private long expired;
    private long portHits;
    private long ssrcHits;
    private long unparsableAddresses;
    private long callsEnded;
    private long byeRemoved;
    private long endingEvicted;

    /** Call-ID bytes (compared by content) as a map key. */
    static final class CallId {
        final byte[] bytes;
        private final int hash;

        CallId(byte[] bytes) {
            this.bytes = bytes;
            this.hash = java.util.Arrays.hashCode(bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CallId c && java.util.Arrays.equals(bytes, c.bytes);
        }
    }

    /** Call-ID bytes and the time of the last use. */
    static final class Entry {
        final byte[] callId;
        final CallId call;
        long lastSeen;

        Entry(CallId call, long lastSeen) {
            this.callId = call.bytes;
            this.call = call;
            this.lastSeen = lastSeen;
        }
    }

    public CorrelationTable(int maxEntries, long timeoutMicros, boolean nat) {
        this(maxEntries, timeoutMicros, nat, 0);
    }

    /** @param byeGraceMicros how long after a BYE the call's entries stay (packet time) */
    public CorrelationTable(int maxEntries, long timeoutMicros, boolean nat, long byeGraceMicros) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        this.maxEntries = maxEntries;
        this.timeoutMicros = timeoutMicros;
        this.nat = nat;
        this.byeGraceMicros = Math.max(0, byeGraceMicros);
        this.map = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<FlowKey, Entry> eldest) {
                if (size() > CorrelationTable.this.maxEntries) {
                    evicted++;
                    unindex(eldest.getKey(), eldest.getValue());
                    return true;
                }
                return false;
            }
        };
        this.ending = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<CallId, Long> eldest) {
                if (size() > CorrelationTable.this.maxEntries) {
                    endingEvicted++;
                    removeCall(eldest.getKey()); // out of room to wait: end it now
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * A call ended (BYE or its final response seen at packet time {@code now}): its entries go
     * {@code byeGraceMicros} later. Returns false when the table holds nothing for it.
     */
    public synchronized boolean callEnded(byte[] buf, int off, int len, long now) {
        expire(now);
        CallId call = new CallId(java.util.Arrays.copyOfRange(buf, off, off + len));
        if (!byCall.containsKey(call) || ending.containsKey(call)) return false;
        callsEnded++;
        if (byeGraceMicros == 0) removeCall(call);
        else ending.put(call, now + byeGraceMicros);
        return true;
    }

    private void removeCall(CallId call) {
        java.util.HashSet<FlowKey> keys = byCall.remove(call);
        if (keys == null) return;
        for (FlowKey k : keys) {
            if (map.remove(k) != null) byeRemoved++;
        }
    }

    private void index(FlowKey key, CallId call) {
        byCall.computeIfAbsent(call, c -> new java.util.HashSet<>(8)).add(key);
    }

    private void unindex(FlowKey key, Entry e) {
        java.util.HashSet<FlowKey> keys = byCall.get(e.call);
        if (keys == null) return;
        keys.remove(key);
        if (keys.isEmpty()) byCall.remove(e.call);
    }

    public boolean natMatching() {
        return nat;
    }

    /**
     * Registers one media stream's RTCP address (SDP text, IPv4 or IPv6 literal) and port for a
     * Call-ID; the last SDP wins. Returns false when the address is not an IP literal or the
     * port is 0 (disabled stream).
     */
    public synchronized boolean register(byte[] addrText, int off, int len, int port, byte[] callId, long now) {
        int n = IpLiteral.parse(addrText, off, len, scratch);
        if (n == 0) {
            unparsableAddresses++;
            return false;
        }
        return registerAddress(scratch, n, port, callId, now);
    }

    /** Registers address bytes (4 or 16) and port for a Call-ID. */
    public synchronized boolean registerAddress(byte[] addr, int addrLen, int port, byte[] callId, long now) {
        if (port <= 0 || port > 65535) return false;
        expire(now);
        put(probe.set(FlowKey.ADDRESS, addr, addrLen, port), callId, now);
        if (nat) put(probe.set(FlowKey.PORT, addr, 0, port), callId, now);
        return true;
    }

    private void put(FlowKey key, byte[] callId, long now) {
        Entry e = map.get(key);
        if (e != null && java.util.Arrays.equals(e.callId, callId)) {
            e.lastSeen = now;
            updated++;
            return;
        }
        if (e != null) {
            updated++;
            map.remove(key);
            unindex(key, e);
        } else {
            registered++;
        }
        CallId call = new CallId(callId);
        FlowKey stored = key.copy();
        map.put(stored, new Entry(call, now));
        index(stored, call);
    }

    /**
     * The Call-ID of an RTCP datagram, or null. {@code compound} (may be null) gives the SSRCs
     * for NAT matching and learning.
     */
    public synchronized byte[] lookup(
            byte[] src, byte[] dst, int addrLen, int srcPort, int dstPort, RtcpCompound compound, long now) {
        expire(now);
        Entry e = hit(probe.set(FlowKey.ADDRESS, src, addrLen, srcPort), now);
        if (e == null) e = hit(probe.set(FlowKey.ADDRESS, dst, addrLen, dstPort), now);
        if (e == null && nat) {
            e = hit(probe.set(FlowKey.PORT, src, 0, srcPort), now);
            if (e == null) e = hit(probe.set(FlowKey.PORT, dst, 0, dstPort), now);
            if (e != null) portHits++;
            if (e == null && compound != null) {
                e = bySsrc(compound, now);
                if (e != null) ssrcHits++;
            }
        }
        if (e == null) {
            misses++;
            return null;
        }
        hits++;
        if (nat && compound != null) learn(compound, e.callId, now);
        return e.callId;
    }

    private Entry hit(FlowKey key, long now) {
        Entry e = map.get(key);
        if (e != null) e.lastSeen = Math.max(e.lastSeen, now);
        return e;
    }

    private Entry bySsrc(RtcpCompound c, long now) {
        for (int p = 0; p < c.packetCount(); p++) {
            if (!speaksFor(c.type(p)) || c.packetSize(p) < 8) continue;
            Entry e = hit(probe.set(FlowKey.SSRC, scratch, 0, c.ssrc(p)), now);
            if (e != null) return e;
        }
        return null;
    }

    private void learn(RtcpCompound c, byte[] callId, long now) {
        for (int p = 0; p < c.packetCount(); p++) {
            int t = c.type(p);
            if (!speaksFor(t) || c.packetSize(p) < 8) continue;
            put(probe.set(FlowKey.SSRC, scratch, 0, c.ssrc(p)), callId, now);
            if (t == RtcpCompound.SR || t == RtcpCompound.RR) {
                for (int b = 0; b < c.countField(p); b++) {
                    put(probe.set(FlowKey.SSRC, scratch, 0, c.blockSsrc(p, b)), callId, now);
                }
            }
        }
    }

    private static boolean speaksFor(int type) {
        return type == RtcpCompound.SR
                || type == RtcpCompound.RR
                || type == RtcpCompound.SDES
                || type == RtcpCompound.XR;
    }

    /**
     * Drops the entries of calls whose BYE grace is over, then entries idle for longer than the
     * timeout: they sit at the head (access order).
     */
    private void expire(long now) {
        Iterator<Map.Entry<CallId, Long>> ends = ending.entrySet().iterator();
        while (ends.hasNext()) {
            Map.Entry<CallId, Long> c = ends.next();
            if (c.getValue() > now) break;
            ends.remove();
            removeCall(c.getKey());
        }
        Iterator<Map.Entry<FlowKey, Entry>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<FlowKey, Entry> e = it.next();
            if (now - e.getValue().lastSeen <= timeoutMicros) break;
            it.remove();
            unindex(e.getKey(), e.getValue());
            expired++;
        }
    }

    /** Call-IDs the index holds (each with at least one entry): never more than the table's entries. */
    synchronized int indexedCalls() {
        return byCall.size();
    }

    public synchronized int size() {
        return map.size();
    }

    public synchronized Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("table-entries", (long) map.size());
        c.put("table-registered", registered);
        c.put("table-updated", updated);
        c.put("table-evicted", evicted);
        c.put("table-expired", expired);
        c.put("lookup-hits", hits);
        c.put("lookup-misses", misses);
        if (nat) {
            c.put("nat-port-hits", portHits);
            c.put("nat-ssrc-hits", ssrcHits);
        }
        c.put("sdp-unparsable-addresses", unparsableAddresses);
        c.put("calls-ended", callsEnded);
        c.put("bye-removed", byeRemoved);
        c.put("calls-ending", (long) ending.size());
        c.put("calls-ending-evicted", endingEvicted);
        return c;
    }

    long evictions() {
        return evicted;
    }

    long expirations() {
        return expired;
    }

    /** A plan reads the table from now on (bind time). */
    public void markRead() {
        read = true;
    }

    /** Whether registering streams and ending calls is of use to any plan. */
    public boolean read() {
        return read;
    }
}
