package org.heptap.rtp;

/**
 * RTP of flows no SDP has announced (yet), held briefly for {@link RtpStreamTable}. Live, media
 * can start as soon as the answer is sent, and SIP and RTP are read by different capture
 * threads: the first packets of a stream may reach the RTP socket before the SDP that announces
 * it. Per flow (the stream table's key: addresses, ports, SSRC) the facts
 * {@link RtpStreamStats} needs of its latest packets are kept - arrival time, sequence number,
 * timestamp, payload type, marker, size; never the payload - at most {@code perFlow} of them and
 * none older than {@code window}; when the flow's stream starts they are replayed into it in
 * arrival order, so its figures are those it would have had with the SDP first.
 *
 * <p>What does not wait is released, counted as unannounced as it would have been without the
 * hold: the oldest packet of a flow that holds {@code perFlow}, packets older than the window,
 * and every packet of the oldest flow when a new flow finds all {@code flows} taken (an
 * eviction). Everything is preallocated, so holding allocates nothing and fabricated flows only
 * evict (counted); memory is about 20 bytes per packet place. Not thread-safe: the stream
 * table's thread owns it.
 */
final class PendingRtp {
    static final int FLOW_WORDS = 5;

    /** Where the caller puts a flow's key before {@link #hold} and {@link #find}. */
    final long[] probe;

    private final KeyedSlots flows;
    private final int perFlow;
    private final long window;
    private final long[] saved = new long[FLOW_WORDS];
    // per packet place, flow f's at f * perFlow .. f * perFlow + perFlow - 1, a ring
    private final long[] micros;
    private final int[] timestamp;
    /** Sequence number << 16 | marker << 7 | payload type. */
    private final int[] seqType;

    private final int[] size;
    // per flow
    private final int[] first;
    private final int[] count;
    private final byte[] addrLen;

    private long held;
    private long replayed;
    private long released;
    private long evictions;
    private int holding;

    /**
     * @param flows         flows held at once
     * @param perFlow       packets held per flow (its latest)
     * @param windowMicros  longest a packet is held
     */
    PendingRtp(int flows, int perFlow, long windowMicros) {
        this.flows = new KeyedSlots(flows, FLOW_WORDS);
        this.probe = this.flows.probe;
        this.perFlow = perFlow;
        this.window = windowMicros;
        int places = flows * perFlow;
        micros = new long[places];
        timestamp = new int[places];
        seqType = new int[places];
        size = new int[places];
        first = new int[flows];
        count = new int[flows];
        addrLen = new byte[flows];
    }

    /** Holds a packet of the flow whose key is in {@link #probe}; {@code addrLen} 4 or 16. */
    void hold(int addrLength, RtpHeader h, long arrival, int bytes) {
        int f = flows.find();
        if (f == KeyedSlots.NONE) {
            if (flows.full()) evictOldest();
            f = flows.add();
            first[f] = 0;
            count[f] = 0;
            addrLen[f] = (byte) addrLength;
        } else {
            releaseOlderThan(f, arrival - window);
            if (count[f] == perFlow) releaseFirst(f);
        }
        int p = place(f, count[f]);
        micros[p] = arrival;
        timestamp[p] = (int) h.timestamp();
        seqType[p] = h.sequence() << 16 | (h.marker() ? 0x80 : 0) | h.payloadType();
        size[p] = bytes;
        count[f]++;
        held++;
        holding++;
    }

    /** The held flow whose key is in {@link #probe}, or {@link KeyedSlots#NONE}. */
    int find() {
        return flows.find();
    }

    /**
     * Adds flow {@code f}'s held packets, in arrival order, to {@code stats} (its stream just
     * started), those older than the window at {@code now} released instead; the flow is then
     * no longer held. {@code h} is scratch.
     */
    void replay(int f, long now, RtpStreamStats stats, RtpHeader h) {
        releaseOlderThan(f, now - window);
        h.ssrc = probe[4] & 0xffffffffL;
        for (int i = 0; i < count[f]; i++) {
            int p = place(f, i);
            h.timestamp = timestamp[p] & 0xffffffffL;
            h.sequence = seqType[p] >>> 16;
            h.marker = (seqType[p] & 0x80) != 0;
            h.payloadType = seqType[p] & 0x7f;
            stats.add(h, micros[p], size[p]);
        }
        replayed += count[f];
        holding -= count[f];
        count[f] = 0;
        flows.remove(f);
    }

    /** Releases flow {@code f}'s packets older than the window at {@code now}; true when none is left (the flow is dropped). */
    boolean expire(int f, long now) {
        releaseOlderThan(f, now - window);
        if (count[f] != 0) return false;
        flows.remove(f);
        return true;
    }

    /** Releases every held packet (the end of input). */
    void releaseAll() {
        for (int f = flows.oldest(); f != KeyedSlots.NONE; f = flows.newer(f)) released += count[f];
        holding = 0;
        flows.clear();
    }

    /** Held flows in the order their first packet came: from here, then {@link #newer}. */
    int oldest() {
        return flows.oldest();
    }

    int newer(int f) {
        return flows.newer(f);
    }

    /** Copies flow {@code f}'s key into {@code out}. */
    void key(int f, long[] out) {
        for (int w = 0; w < FLOW_WORDS; w++) out[w] = flows.key(f, w);
    }

    int addrLen(int f) {
        return addrLen[f];
    }

    int flows() {
        return flows.size();
    }

    /** Packets held so far. */
    long held() {
        return held;
    }
    /** Held packets replayed into their stream. */
    long replayed() {
        return replayed;
    }
    /** Held packets given up on: counted as unannounced. */
    long released() {
        return released;
    }
    /** Flows dropped, their packets released, for a newer flow when all were taken. */
    long evictions() {
        return evictions;
    }
    /** Packets held now. */
    int holding() {
        return holding;
    }

    private void evictOldest() {
        System.arraycopy(probe, 0, saved, 0, FLOW_WORDS); // remove() uses the probe
        int oldest = flows.oldest();
        released += count[oldest];
        holding -= count[oldest];
        count[oldest] = 0;
        flows.remove(oldest);
        evictions++;
        System.arraycopy(saved, 0, probe, 0, FLOW_WORDS);
    }

    private void releaseOlderThan(int f, long limit) {
        while (count[f] != 0 && micros[place(f, 0)] < limit) releaseFirst(f);
    }

    private void releaseFirst(int f) {
        first[f] = (first[f] + 1) % perFlow;
        count[f]--;
        holding--;
        released++;
    }

    private int place(int f, int i) {
        return f * perFlow + (first[f] + i) % perFlow;
    }
}
