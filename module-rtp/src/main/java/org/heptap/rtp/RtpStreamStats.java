package org.heptap.rtp;

/**
 * Quality figures of one RTP stream (one direction, one SSRC), updated per packet without
 * allocating. Two families of figures live here:
 *
 * <ul>
 *   <li>Sequence accounting per RFC 3550 A.3: sequence numbers are extended across wraps, so
 *       expected = highest − first + 1; a 128-packet window of the sequence numbers seen under
 *       the highest tells a duplicate from a late (out-of-order) packet, and lost = expected −
 *       distinct packets received.
 *   <li>Delta and jitter as Wireshark 4.0's RTP stream analysis computes them, so the figures
 *       agree with what an operator sees there: a packet is "in order" when its timestamp is
 *       within half the 32-bit range after the stream's first; only such packets update delta
 *       (arrival − the previous in-order arrival) and jitter (RFC 3550 A.8, J += (|D| − J)/16
 *       in ms, the timestamp converted with the clock rate in whole kHz as Wireshark does).
 *       Packets with the marker bit, comfort noise and the packet after comfort noise update
 *       them but stay out of min/max/mean; telephone events carry no jitter (their timestamp is
 *       the event's start). Mean delta and mean jitter are Wireshark's running means, which
 *       divide by every packet counted so far, not only by those included.
 * </ul>
 */
public final class RtpStreamStats {
    private static final int WINDOW = 128;

    private PayloadTypes types = PayloadTypes.STATIC;
    private long ssrc;
    private long packets;
    private long bytes;
    private long duplicates;
    private long outOfOrder;
    private long dtmfEvents;
    private long silencePeriods;
    private long firstMicros;
    private long lastMicros;

    // RFC 3550 A.3 sequence accounting
    private long baseExtSeq;
    private long maxExtSeq;
    private long seenLow; // bit i: maxExtSeq - i was received (0..63)
    private long seenHigh; // bit i: maxExtSeq - 64 - i was received

    // Wireshark-compatible timing
    private long firstTimestamp;
    private double lastNominal; // ms of media the last in-order packet's timestamp is after the first's
    private double timeMs; // arrival of the last in-order packet, ms since the stream's first packet
    private double delta;
    private double jitter;
    private double maxDelta;
    private double minDelta;
    private double meanDelta;
    private double maxJitter;
    private double minJitter;
    private double meanJitter;
    private int payloadType;
    private int clockRate;
    private long payloadTypesLow;
    private long payloadTypesHigh;
    private long lastEventTimestamp;
    /**
     * The last packet's payload type and what the stream's types say of it (telephone event, clock
     * rate for jitter): a stream keeps one type for long runs, so most packets ask nothing of
     * {@link #types}, which never changes for a stream (built from its SDP before the hand-off).
     */
    private int lastPt;

    private boolean lastPtEvent;
    private int lastPtRate;

    public RtpStreamStats() {
        reset(0, PayloadTypes.STATIC);
    }

    /** Starts a new stream: figures cleared, the SDP's payload types (or {@link PayloadTypes#STATIC}) used. */
    public void reset(long ssrc, PayloadTypes payloadTypes) {
        this.ssrc = ssrc;
        this.types = payloadTypes == null ? PayloadTypes.STATIC : payloadTypes;
        packets = bytes = duplicates = outOfOrder = dtmfEvents = silencePeriods = 0;
        firstMicros = lastMicros = 0;
        baseExtSeq = maxExtSeq = seenLow = seenHigh = 0;
        firstTimestamp = 0;
        lastNominal = 0;
        timeMs = delta = jitter = maxDelta = meanDelta = maxJitter = meanJitter = 0;
        minDelta = minJitter = -1;
        payloadType = -1;
        clockRate = 0;
        payloadTypesLow = payloadTypesHigh = 0;
        lastEventTimestamp = -1;
        lastPt = -1;
    }

    /** Adds one packet of this stream, its header parsed, arriving at {@code micros}, {@code size} bytes of UDP payload. */
    public void add(RtpHeader h, long micros, int size) {
        int pt = h.payloadType();
        if (pt != lastPt) learn(pt);
        bytes += size;
        boolean event = lastPtEvent;
        if (event && h.timestamp() != lastEventTimestamp) {
            dtmfEvents++;
            lastEventTimestamp = h.timestamp();
        }
        if (packets == 0) {
            first(h, micros, pt);
            return;
        }
        if (h.marker() && !event) silencePeriods++;
        sequence(h.sequence());
        timing(h, micros, pt);
        lastMicros = Math.max(lastMicros, micros);
        packets++;
    }

    private void first(RtpHeader h, long micros, int pt) {
        packets = 1;
        firstMicros = lastMicros = micros;
        baseExtSeq = maxExtSeq = h.sequence();
        seenLow = 1;
        firstTimestamp = h.timestamp();
        timeMs = 0;
        payloadType = pt;
        int rate = lastPtRate;
        if (rate != 0) clockRate = rate;
    }

    private void sequence(int seq) {
        long ext = maxExtSeq + (short) (seq - (int) (maxExtSeq & 0xffff));
        if (ext > maxExtSeq) {
            shiftWindow(ext - maxExtSeq);
            maxExtSeq = ext;
            seenLow |= 1;
            return;
        }
        long back = maxExtSeq - ext;
        if (back < WINDOW) {
            boolean high = back >= 64;
            long bit = 1L << (high ? back - 64 : back);
            long word = high ? seenHigh : seenLow;
            if ((word & bit) != 0) {
                duplicates++;
                return;
            }
            if (high) seenHigh |= bit;
            else seenLow |= bit;
        }
        outOfOrder++;
        if (ext < baseExtSeq) baseExtSeq = ext;
    }

    private void shiftWindow(long n) {
        if (n >= WINDOW) {
            seenLow = seenHigh = 0;
        } else if (n >= 64) {
            seenHigh = seenLow << (n - 64);
            seenLow = 0;
        } else {
            seenHigh = (seenHigh << n) | (seenLow >>> (64 - n));
            seenLow <<= n;
        }
    }

    private void timing(RtpHeader h, long micros, int pt) {
        double now = (micros - firstMicros) / 1000.0;
        long sinceFirst = (h.timestamp() - firstTimestamp) & 0xffffffffL;
        boolean inOrder = sinceFirst < 0x80000000L;
        boolean comfortNoise = PayloadTypes.isComfortNoise(pt);
        boolean afterComfortNoise = PayloadTypes.isComfortNoise(payloadType);
        payloadType = pt;
        int rate = lastPtRate;
        double current = 0;
        if (inOrder) {
            if (rate != 0) {
                clockRate = rate;
                // Wireshark divides by the rate in kHz with integer arithmetic (44100 Hz counts as 44 kHz)
                double nominal = (double) sinceFirst / (rate / 1000);
                double diff = Math.abs(now - (timeMs + nominal - lastNominal));
                current = (15 * jitter + diff) / 16;
                jitter = current;
                lastNominal = nominal;
            }
            delta = now - timeMs;
        }
        boolean regular = !h.marker() && !comfortNoise && !afterComfortNoise && inOrder;
        if (regular) {
            maxDelta = Math.max(maxDelta, delta);
            minDelta = minDelta < 0 ? delta : Math.min(minDelta, delta);
            meanDelta = (meanDelta * (packets - 1) + delta) / packets;
            if (rate != 0) {
                maxJitter = Math.max(maxJitter, jitter);
                minJitter = minJitter < 0 ? jitter : Math.min(minJitter, jitter);
                meanJitter = (meanJitter * (packets - 1) + current) / packets;
            }
        }
        if (inOrder) timeMs = now;
    }

    /** Clock rate for jitter: 0 for telephone events and for types neither RFC 3551 nor the SDP names. */
    private int rate(int pt, boolean event) {
        int r = event ? 0 : types.clockRate(pt);
        return r >= 1000 ? r : 0;
    }

    /** A payload type other than the last packet's: marked as seen, its event flag and rate looked up. */
    private void learn(int pt) {
        markPayloadType(pt);
        lastPt = pt;
        lastPtEvent = types.isTelephoneEvent(pt);
        lastPtRate = rate(pt, lastPtEvent);
    }

    private void markPayloadType(int pt) {
        if (pt < 64) payloadTypesLow |= 1L << pt;
        else payloadTypesHigh |= 1L << (pt - 64);
    }

    public long ssrc() {
        return ssrc;
    }

    public PayloadTypes payloadTypes() {
        return types;
    }
    /** Every packet received, duplicates included (Wireshark's "Pkts"). */
    public long packets() {
        return packets;
    }
    /** UDP payload bytes of every packet received. */
    public long bytes() {
        return bytes;
    }
    /** Highest extended sequence number − first + 1 (RFC 3550 A.3). */
    public long expected() {
        return packets == 0 ? 0 : maxExtSeq - baseExtSeq + 1;
    }
    /** Packets expected and never received; duplicates do not hide a loss. */
    public long lost() {
        return Math.max(0, expected() - (packets - duplicates));
    }

    public long duplicates() {
        return duplicates;
    }
    /** Packets that arrived after one with a higher sequence number (duplicates not included). */
    public long outOfOrder() {
        return outOfOrder;
    }

    public long dtmfEvents() {
        return dtmfEvents;
    }
    /** Talkspurts that began after silence (marker bit), the first packet not counted. */
    public long silencePeriods() {
        return silencePeriods;
    }

    public long firstMicros() {
        return firstMicros;
    }

    public long lastMicros() {
        return lastMicros;
    }

    public double maxDeltaMs() {
        return maxDelta;
    }

    public double minDeltaMs() {
        return Math.max(0, minDelta);
    }

    public double meanDeltaMs() {
        return meanDelta;
    }
    /** Interarrival jitter after the last packet (RFC 3550 A.8), ms. */
    public double jitterMs() {
        return jitter;
    }

    public double maxJitterMs() {
        return maxJitter;
    }

    public double minJitterMs() {
        return Math.max(0, minJitter);
    }

    public double meanJitterMs() {
        return meanJitter;
    }
    /** Payload type of the last packet, -1 before any. */
    public int payloadType() {
        return payloadType;
    }
    /** Clock rate of the last voice payload type with a known rate, 0 if none. */
    public int clockRate() {
        return clockRate;
    }

    public boolean sawPayloadType(int pt) {
        return pt >= 0 && pt < 128 && ((pt < 64 ? payloadTypesLow >>> pt : payloadTypesHigh >>> (pt - 64)) & 1) != 0;
    }
}
