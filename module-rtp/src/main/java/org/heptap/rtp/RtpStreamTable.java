package org.heptap.rtp;

/**
 * The RTP streams being analysed, bounded. Only media an SDP announced is analysed: each
 * address and port of an offer or answer (IPv4 or IPv6; with a=rtcp-mux RTCP on the same port
 * is told apart by {@link RtpHeaderParser}) is {@link #announce announced} with its call's
 * payload types and Call-ID, and a packet to or from an announced endpoint starts a stream,
 * keyed by source, destination and SSRC (a new SSRC is a new stream), analysed with the payload
 * types of the receiver's SDP (RFC 3264 §5.1: an SDP names the types its author receives), else
 * the sender's. Media nobody announced is
 * only counted. When the table is full the oldest stream is evicted (counted), and likewise for
 * endpoints.
 *
 * <p>Per packet it allocates nothing: keys go into reusable arrays and a stream's statistics
 * object is reused by the next stream in its slot. Not thread-safe: one capture thread owns it.
 */
public final class RtpStreamTable {
    private static final int FLOW_WORDS = 5;
    private static final int ENDPOINT_WORDS = 3;

    private final KeyedSlots flows;
    private final RtpStreamStats[] stats;
    private final String[] flowCallId;
    private final KeyedSlots endpoints;
    private final PayloadTypes[] endpointTypes;
    private final String[] endpointCallId;
    private long evictions;
    private long endpointEvictions;
    private long unannounced;

    public RtpStreamTable(int maxStreams, int maxEndpoints) {
        flows = new KeyedSlots(maxStreams, FLOW_WORDS);
        stats = new RtpStreamStats[maxStreams];
        flowCallId = new String[maxStreams];
        endpoints = new KeyedSlots(maxEndpoints, ENDPOINT_WORDS);
        endpointTypes = new PayloadTypes[maxEndpoints];
        endpointCallId = new String[maxEndpoints];
    }

    /** An SDP offer or answer said media for {@code callId} arrives at this address and port. */
    public void announce(byte[] addr, int addrOff, int addrLen, int port, PayloadTypes types, String callId) {
        endpointKey(addr, addrOff, addrLen, port);
        int e = endpoints.find();
        if (e == KeyedSlots.NONE) {
            if (endpoints.full()) {
                endpoints.remove(endpoints.oldest());
                endpointEvictions++;
                endpointKey(addr, addrOff, addrLen, port);
            }
            e = endpoints.add();
        }
        endpointTypes[e] = types;
        endpointCallId[e] = callId;
    }

    /**
     * Adds an RTP packet whose header was parsed into {@code h}. Returns the slot of its stream,
     * or {@link KeyedSlots#NONE} when neither end was announced (then it is only counted).
     */
    public int packet(
            byte[] src, byte[] dst, int addrLen, int srcPort, int dstPort, RtpHeader h, long micros, int size) {
        flowKey(src, dst, addrLen, srcPort, dstPort, h.ssrc());
        int s = flows.find();
        if (s == KeyedSlots.NONE) {
            int e = announced(dst, addrLen, dstPort);
            if (e == KeyedSlots.NONE) e = announced(src, addrLen, srcPort);
            if (e == KeyedSlots.NONE) {
                unannounced++;
                return KeyedSlots.NONE;
            }
            if (flows.full()) {
                flows.remove(flows.oldest());
                evictions++;
            }
            flowKey(src, dst, addrLen, srcPort, dstPort, h.ssrc());
            s = flows.add();
            if (stats[s] == null) stats[s] = new RtpStreamStats();
            stats[s].reset(h.ssrc(), endpointTypes[e]);
            flowCallId[s] = endpointCallId[e];
        }
        stats[s].add(h, micros, size);
        return s;
    }

    private int announced(byte[] addr, int addrLen, int port) {
        endpointKey(addr, 0, addrLen, port);
        return endpoints.find();
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
    /** RTP packets to and from endpoints no SDP announced: counted, not analysed. */
    public long unannounced() {
        return unannounced;
    }
    /** Source port of a stream, from its key. */
    public int srcPort(int slot) {
        return (int) (flows.key(slot, 4) >>> 48);
    }

    public int dstPort(int slot) {
        return (int) (flows.key(slot, 4) >>> 32) & 0xffff;
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
        k[2] = port & 0xffff;
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
