package org.heptap.core.decode;

/**
 * Counters of one {@link PacketDecoder}: frames per {@link DecodeResult}, and payloads delivered
 * shorter than on the wire (snaplen). Written by the decoder's thread only, as plain longs; a
 * metrics thread reading them may see values a moment old.
 */
public final class DecodeStats {
    private static final DecodeResult[] RESULTS = DecodeResult.values();

    private final long[] byResult = new long[RESULTS.length];
    private long payloadsCut;

    void increment(DecodeResult r) {
        byResult[r.ordinal()]++;
    }

    void countPayloadCut() {
        payloadsCut++;
    }

    public long count(DecodeResult r) {
        return byResult[r.ordinal()];
    }

    /** All frames decoded. */
    public long frames() {
        long n = 0;
        for (long c : byResult) n += c;
        return n;
    }

    /** Delivered payloads that the capture's snaplen cut short. */
    public long payloadsCut() {
        return payloadsCut;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("frames=").append(frames());
        for (DecodeResult r : RESULTS) {
            if (byResult[r.ordinal()] != 0)
                sb.append(' ')
                        .append(r.name().toLowerCase(java.util.Locale.ROOT))
                        .append('=')
                        .append(byResult[r.ordinal()]);
        }
        if (payloadsCut != 0) sb.append(" payloads_cut=").append(payloadsCut);
        return sb.toString();
    }
}
