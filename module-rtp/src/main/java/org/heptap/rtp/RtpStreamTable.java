package org.heptap.rtp;

import java.util.HashMap;
import java.util.Objects;

/**
 * The RTP streams being analysed, bounded. Only media an SDP announced is analysed: each
 * address and port of an offer or answer (IPv4 or IPv6; with a=rtcp-mux RTCP on the same port
 * is told apart by {@link RtpHeaderParser}) is {@link #announce announced} with its call's
 * payload types and Call-ID, and a packet to or from an announced endpoint starts a stream,
 * keyed by source, destination and SSRC (a new SSRC is a new stream), analysed with the payload
 * types of the receiver's SDP (RFC 3264 §5.1: an SDP names the types its author receives), else
 * the sender's. Media nobody announced is
 * only counted - unless a {@link PendingRtp} holds it: then the latest packets of each such flow
 * wait a short while for an SDP, and the stream an SDP starts in time begins with them, replayed
 * in arrival order ({@link #sweep} on the timer starts the streams of held flows that sent nothing
 * since their SDP). When the table is full the oldest stream is evicted (counted; its owner is told
 * first, see {@link #onEviction}, so it can send the stream's final report), and likewise for
 * endpoints.
 *
 * <p>NAT matching (optional, as {@code modules.rtcp.nat-matching} does for RTCP): SDP behind NAT
 * names private addresses while media arrives from the public side. Each announced endpoint is
 * then also kept by port alone; a packet whose addresses match no endpoint is tried on its
 * destination port, then its source port, then on its SSRC; on a match the SSRC is learnt, so the
 * stream is still recognised after the NAT moves it to other ports.
 *
 * <p>Per packet it allocates nothing: keys go into reusable arrays and a stream's statistics
 * object is reused by the next stream in its slot. Not thread-safe: one capture thread owns it.
 */
public final class RtpStreamTable {
    private static final int FLOW_WORDS = PendingRtp.FLOW_WORDS;
    private static final int ENDPOINT_WORDS = 3;
    private static final long BY_ADDRESS = 0;
    private static final long BY_PORT = 1L << 40;
    private static final long BY_SSRC = 2L << 40;

    private final KeyedSlots flows;
    private final RtpStreamStats[] stats;
    private final String[] flowCallId;
    /** 4 or 16: the address length of each stream's key. */
    private final byte[] flowAddrLen;

    private final boolean nat;
    private final KeyedSlots endpoints;
    private final PayloadTypes[] endpointTypes;
    private final String[] endpointCallId;
    /** Told of each stream evicted, before it goes (its final report). */
    private Eviction eviction = slot -> {};
    /** Told of each stream started, once its first packets are in. */
    private Start start = slot -> {};
    /** Early RTP waiting for its SDP; null: media no SDP announced is counted at once. */
    private final PendingRtp pending;
    /** A stream key while eviction uses the probe. */
    private final long[] savedKey = new long[FLOW_WORDS];
    /** Held packets go through this header into their stream's statistics. */
    private final RtpHeader replayHeader = new RtpHeader();
    /**
     * Each call's endpoints as a list through their slots ({@link #callNext}, {@link #callPrev},
     * {@link KeyedSlots#NONE} at the ends), headed here by Call-ID: ending a call visits its own
     * endpoints only (a BYE, per call, would otherwise walk every endpoint slot). Changed per
     * SDP and per ended call, never per packet; as bounded as the endpoints.
     */
    private final HashMap<String, Integer> callFirst = new HashMap<>();

    private final int[] callNext;
    private final int[] callPrev;
    /** Endpoint slots {@link #forgetCall} visited, for tests. */
    private long forgetVisits;

    private long evictions;
    private long endpointEvictions;
    private long unannounced;
    private long portMatches;
    private long ssrcMatches;

    public RtpStreamTable(int maxStreams, int maxEndpoints) {
        this(maxStreams, maxEndpoints, false);
    }

    /** @param nat match on port, then SSRC, when the addresses match no endpoint (see above) */
    public RtpStreamTable(int maxStreams, int maxEndpoints, boolean nat) {
        this(maxStreams, maxEndpoints, nat, null);
    }

    /** @param pending where media no SDP announced yet waits for one; null: it is counted at once */
    RtpStreamTable(int maxStreams, int maxEndpoints, boolean nat, PendingRtp pending) {
        this.nat = nat;
        this.pending = pending;
        flows = new KeyedSlots(maxStreams, FLOW_WORDS);
        stats = new RtpStreamStats[maxStreams];
        flowCallId = new String[maxStreams];
        flowAddrLen = new byte[maxStreams];
        endpoints = new KeyedSlots(maxEndpoints, ENDPOINT_WORDS);
        endpointTypes = new PayloadTypes[maxEndpoints];
        endpointCallId = new String[maxEndpoints];
        callNext = new int[maxEndpoints];
        callPrev = new int[maxEndpoints];
    }

    /** What the owner does with a stream the full table is about to evict (report it). */
    @FunctionalInterface
    interface Eviction {
        /** {@code slot} still holds the stream: its figures, addresses and Call-ID can be read. */
        void evicting(int slot);
    }

    /** Who is told of evicted streams (one owner; by default nobody). */
    void onEviction(Eviction e) {
        eviction = e;
    }

    /** What the owner does when a stream starts (its reports' clock). */
    @FunctionalInterface
    interface Start {
        /** {@code slot} holds the new stream, its first packets (held ones too) already added. */
        void started(int slot);
    }

    /** Who is told of started streams (one owner; by default nobody). */
    void onStart(Start s) {
        start = s;
    }

    /** An SDP offer or answer said media for {@code callId} arrives at this address and port. */
    public void announce(byte[] addr, int addrOff, int addrLen, int port, PayloadTypes types, String callId) {
        endpointKey(addr, addrOff, addrLen, port);
        putEndpoint(types, callId);
        if (nat) {
            portKey(port);
            putEndpoint(types, callId);
        }
    }

    /** Stores the endpoint whose key is in the probe (evicting the oldest when full). */
    private void putEndpoint(PayloadTypes types, String callId) {
        int e = endpoints.find();
        if (e == KeyedSlots.NONE) {
            if (endpoints.full()) {
                long k0 = endpoints.probe[0], k1 = endpoints.probe[1], k2 = endpoints.probe[2];
                forgetEndpoint(endpoints.oldest()); // remove() uses the probe: restore the key after it
                endpointEvictions++;
                endpoints.probe[0] = k0;
                endpoints.probe[1] = k1;
                endpoints.probe[2] = k2;
            }
            e = endpoints.add();
            linkToCall(e, callId);
        } else if (!Objects.equals(callId, endpointCallId[e])) {
            // announced again by another call: it moves to that call's list
            unlinkFromCall(e);
            linkToCall(e, callId);
        }
        endpointTypes[e] = types;
    }

    /** Forgets every endpoint (and learnt SSRC) of a call: it ended. Returns how many. */
    public int forgetCall(String callId) {
        Integer first = callFirst.remove(callId);
        int n = 0;
        for (int e = first == null ? KeyedSlots.NONE : first; e != KeyedSlots.NONE; n++) {
            forgetVisits++;
            int next = callNext[e];
            endpoints.remove(e);
            endpointCallId[e] = null;
            endpointTypes[e] = null;
            e = next;
        }
        return n;
    }

    private void forgetEndpoint(int e) {
        unlinkFromCall(e);
        endpoints.remove(e);
        endpointCallId[e] = null;
        endpointTypes[e] = null;
    }

    /** Makes endpoint {@code e} the first of its call's list. */
    private void linkToCall(int e, String callId) {
        Integer first = callFirst.put(callId, e);
        int f = first == null ? KeyedSlots.NONE : first;
        callPrev[e] = KeyedSlots.NONE;
        callNext[e] = f;
        if (f != KeyedSlots.NONE) callPrev[f] = e;
        endpointCallId[e] = callId;
    }

    private void unlinkFromCall(int e) {
        int prev = callPrev[e];
        int next = callNext[e];
        if (prev != KeyedSlots.NONE) callNext[prev] = next;
        else if (next != KeyedSlots.NONE) callFirst.put(endpointCallId[e], next);
        else callFirst.remove(endpointCallId[e]);
        if (next != KeyedSlots.NONE) callPrev[next] = prev;
    }

    /** Endpoint slots {@link #forgetCall} visited so far. */
    long forgetVisits() {
        return forgetVisits;
    }

    /** Calls with at least one endpoint. */
    int calls() {
        return callFirst.size();
    }

    /**
     * Adds an RTP packet whose header was parsed into {@code h}. Returns the slot of its stream,
     * or {@link KeyedSlots#NONE} when neither end was announced (then it is held or counted).
     */
    public int packet(
            byte[] src, byte[] dst, int addrLen, int srcPort, int dstPort, RtpHeader h, long micros, int size) {
        flowKey(src, dst, addrLen, srcPort, dstPort, h.ssrc());
        int s = flows.find();
        if (s == KeyedSlots.NONE) return firstOfStream(addrLen, h, micros, size);
        stats[s].add(h, micros, size);
        return s;
    }

    /** A packet of no tracked stream, its key in the probe: starts its stream when announced, else held or counted. */
    private int firstOfStream(int addrLen, RtpHeader h, long micros, int size) {
        int e = endpointOf(flows.probe);
        if (e == KeyedSlots.NONE) {
            if (pending == null) {
                unannounced++;
            } else {
                System.arraycopy(flows.probe, 0, pending.probe, 0, FLOW_WORDS);
                pending.hold(addrLen, h, micros, size);
            }
            return KeyedSlots.NONE;
        }
        int s = newStream(e, addrLen);
        if (pending != null && pending.flows() != 0) {
            System.arraycopy(flows.probe, 0, pending.probe, 0, FLOW_WORDS);
            int f = pending.find();
            if (f != KeyedSlots.NONE) pending.replay(f, micros, stats[s], replayHeader);
        }
        stats[s].add(h, micros, size);
        start.started(s);
        return s;
    }

    /**
     * On the timer (and before the end of input): each held flow whose end an SDP has announced
     * since starts its stream with its held packets, though it sent nothing since; packets held
     * longer than the window at {@code now} are released (unannounced). Visits only the held
     * flows, once per tick.
     */
    public void sweep(long now) {
        if (pending == null) return;
        for (int f = pending.oldest(); f != KeyedSlots.NONE; ) {
            int next = pending.newer(f);
            pending.key(f, flows.probe);
            pending.key(f, pending.probe);
            int e = pending.expire(f, now) ? KeyedSlots.NONE : endpointOf(flows.probe);
            if (e != KeyedSlots.NONE) {
                int s = newStream(e, pending.addrLen(f));
                pending.replay(f, now, stats[s], replayHeader);
                start.started(s);
            }
            f = next;
        }
    }

    /** Counts every held packet as unannounced (the end of input: no SDP comes any more). */
    public void releaseHeld() {
        if (pending != null) pending.releaseAll();
    }

    /** A new stream for the key in the probe, announced by endpoint {@code e}; a full table evicts its oldest. */
    private int newStream(int e, int addrLen) {
        if (flows.full()) {
            System.arraycopy(flows.probe, 0, savedKey, 0, FLOW_WORDS); // remove() uses the probe
            int oldest = flows.oldest();
            eviction.evicting(oldest); // its figures are still in its slot
            flows.remove(oldest);
            evictions++;
            System.arraycopy(savedKey, 0, flows.probe, 0, FLOW_WORDS);
        }
        int s = flows.add();
        if (stats[s] == null) stats[s] = new RtpStreamStats();
        stats[s].reset(flows.probe[4] & 0xffffffffL, endpointTypes[e]);
        flowCallId[s] = endpointCallId[e];
        flowAddrLen[s] = (byte) addrLen;
        return s;
    }

    /** The endpoint that announced the stream keyed {@code k}: its destination's, else its source's, else by NAT. */
    private int endpointOf(long[] k) {
        long src0 = k[0], src1 = k[1], dst0 = k[2], dst1 = k[3], ports = k[4];
        int srcPort = (int) (ports >>> 48);
        int dstPort = (int) (ports >>> 32) & 0xffff;
        int e = announced(dst0, dst1, dstPort);
        if (e == KeyedSlots.NONE) e = announced(src0, src1, srcPort);
        if (e == KeyedSlots.NONE && nat) e = behindNat(dstPort, srcPort, ports & 0xffffffffL);
        return e;
    }

    private int announced(long addrHigh, long addrLow, int port) {
        long[] k = endpoints.probe;
        k[0] = addrHigh;
        k[1] = addrLow;
        k[2] = BY_ADDRESS | (port & 0xffff);
        return endpoints.find();
    }

    /** NAT: the endpoint of the destination port, else the source port, else the SSRC; learns the SSRC. */
    private int behindNat(int dstPort, int srcPort, long ssrc) {
        portKey(dstPort);
        int e = endpoints.find();
        if (e == KeyedSlots.NONE) {
            portKey(srcPort);
            e = endpoints.find();
        }
        if (e != KeyedSlots.NONE) {
            portMatches++;
            PayloadTypes types = endpointTypes[e];
            String callId = endpointCallId[e];
            ssrcKey(ssrc);
            putEndpoint(types, callId);
            ssrcKey(ssrc);
            return endpoints.find();
        }
        ssrcKey(ssrc);
        e = endpoints.find();
        if (e != KeyedSlots.NONE) ssrcMatches++;
        return e;
    }

    /** Forgets a stream (it ended and was reported). */
    public void remove(int slot) {
        flows.remove(slot);
    }

    public RtpStreamStats stats(int slot) {
        return stats[slot];
    }

    public String callId(int slot) {
        return flowCallId[slot];
    }

    public int streams() {
        return flows.size();
    }

    public int endpoints() {
        return endpoints.size();
    }
    /** Streams forgotten to make room for a newer one. */
    public long evictions() {
        return evictions;
    }

    public long endpointEvictions() {
        return endpointEvictions;
    }
    /** RTP packets to and from endpoints no SDP announced: counted, not analysed (held ones once released). */
    public long unannounced() {
        return pending == null ? unannounced : unannounced + pending.released();
    }

    /** RTP packets held for an SDP so far. */
    public long held() {
        return pending == null ? 0 : pending.held();
    }
    /** Held packets replayed into their stream when it started. */
    public long replayed() {
        return pending == null ? 0 : pending.replayed();
    }
    /** RTP packets held now (in neither {@link #unannounced} nor a stream yet). */
    public long holding() {
        return pending == null ? 0 : pending.holding();
    }
    /** Held flows dropped (their packets unannounced) to make room for a newer one. */
    public long heldFlowEvictions() {
        return pending == null ? 0 : pending.evictions();
    }
    /** Source port of a stream, from its key. */
    public int srcPort(int slot) {
        return (int) (flows.key(slot, 4) >>> 48);
    }

    public int dstPort(int slot) {
        return (int) (flows.key(slot, 4) >>> 32) & 0xffff;
    }

    /** Slots run 0..capacity-1; {@link #active} says which hold a stream. */
    public int capacity() {
        return flows.capacity();
    }

    public boolean active(int slot) {
        return flows.used(slot);
    }

    /** Copies a stream's source address into {@code out} (16 bytes); returns its length, 4 or 16. */
    public int srcAddress(int slot, byte[] out) {
        return address(slot, 0, out);
    }

    public int dstAddress(int slot, byte[] out) {
        return address(slot, 2, out);
    }

    private int address(int slot, int word, byte[] out) {
        int len = flowAddrLen[slot];
        long hi = flows.key(slot, word);
        long lo = flows.key(slot, word + 1);
        if (len == 4) {
            for (int i = 0; i < 4; i++) out[i] = (byte) (lo >>> (24 - 8 * i));
            return 4;
        }
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return 16;
    }

    /** NAT matching: streams matched by port alone, and by a learnt SSRC. */
    public long portMatches() {
        return portMatches;
    }

    public long ssrcMatches() {
        return ssrcMatches;
    }

    private void flowKey(byte[] src, byte[] dst, int addrLen, int srcPort, int dstPort, long ssrc) {
        long[] k = flows.probe;
        k[0] = high(src, 0, addrLen);
        k[1] = low(src, 0, addrLen);
        k[2] = high(dst, 0, addrLen);
        k[3] = low(dst, 0, addrLen);
        k[4] = ((long) (srcPort & 0xffff) << 48) | ((long) (dstPort & 0xffff) << 32) | (ssrc & 0xffffffffL);
    }

    private void endpointKey(byte[] addr, int off, int addrLen, int port) {
        long[] k = endpoints.probe;
        k[0] = high(addr, off, addrLen);
        k[1] = low(addr, off, addrLen);
        k[2] = BY_ADDRESS | (port & 0xffff);
    }

    private void portKey(int port) {
        long[] k = endpoints.probe;
        k[0] = 0;
        k[1] = 0;
        k[2] = BY_PORT | (port & 0xffff);
    }

    private void ssrcKey(long ssrc) {
        long[] k = endpoints.probe;
        k[0] = 0;
        k[1] = 0;
        k[2] = BY_SSRC | (ssrc & 0xffffffffL);
    }

    /** First 8 bytes of an IPv6 address; 0 for IPv4 (which is kept as ::ffff:a.b.c.d). */
    private static long high(byte[] a, int off, int len) {
        return len == 16 ? word(a, off) : 0;
    }

    private static long low(byte[] a, int off, int len) {
        if (len == 16) return word(a, off + 8);
        return 0xffff_0000_0000L
                | ((long) (a[off] & 0xff) << 24)
                | ((a[off + 1] & 0xff) << 16)
                | ((a[off + 2] & 0xff) << 8)
                | (a[off + 3] & 0xff);
    }

    private static long word(byte[] a, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (a[off + i] & 0xff);
        return v;
    }
}
