package org.heptap.rtcp;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * <p>Shared by the SIP and RTCP sockets (different threads in live capture): every method
 * synchronises on the table. Lookups allocate nothing (a reused probe key).
 */
public final class CorrelationTable {
    private final int maxEntries;
    private final long timeoutMicros;
    private final boolean nat;
    private final LinkedHashMap<FlowKey, Entry> map;
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

    /** Call-ID bytes and the time of the last use. */
    static final class Entry {
        final byte[] callId;
        long lastSeen;

        Entry(byte[] callId, long lastSeen) {
            this.callId = callId;
            this.lastSeen = lastSeen;
        }
    }

    public CorrelationTable(int maxEntries, long timeoutMicros, boolean nat) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1");
        this.maxEntries = maxEntries;
        this.timeoutMicros = timeoutMicros;
        this.nat = nat;
        this.map = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<FlowKey, Entry> eldest) {
                if (size() > CorrelationTable.this.maxEntries) {
                    evicted++;
                    return true;
                }
                return false;
            }
        };
    }

    public boolean natMatching() { return nat; }

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
        if (e != null) updated++;
        else registered++;
        map.put(key.copy(), new Entry(callId, now));
    }

    /**
     * The Call-ID of an RTCP datagram, or null. {@code compound} (may be null) gives the SSRCs
     * for NAT matching and learning.
     */
    public synchronized byte[] lookup(byte[] src, byte[] dst, int addrLen, int srcPort, int dstPort,
                                      RtcpCompound compound, long now) {
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
        return type == RtcpCompound.SR || type == RtcpCompound.RR || type == RtcpCompound.SDES || type == RtcpCompound.XR;
    }

    /** Drops entries idle for longer than the timeout: they sit at the head (access order). */
    private void expire(long now) {
        Iterator<Entry> it = map.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (now - e.lastSeen <= timeoutMicros) break;
            it.remove();
            expired++;
        }
    }

    public synchronized int size() { return map.size(); }

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
        return c;
    }

    long evictions() { return evicted; }
    long expirations() { return expired; }
}
