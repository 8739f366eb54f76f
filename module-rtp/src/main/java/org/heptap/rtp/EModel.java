package org.heptap.rtp;

/**
 * Listening-quality estimate from measured loss, jitter and (when RTCP told it) delay, with the
 * ITU-T G.107 E-model: R = 93.2 − Id − Ie,eff, MOS from R by G.107 Annex B.
 *
 * <ul>
 *   <li>93.2 is R with every G.107 default (Ro − Is with default loudness, noise and echo),
 *       so a clean call with no delay is 93.2, MOS 4.41.
 *   <li>Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl), G.107 (7-29), random loss
 *       (BurstR = 1), Ppl the loss in percent of the packets expected.
 *   <li>Id, the delay impairment, uses Cole and Rosenbluth's fit of G.107 for default echo
 *       settings ("Voice over IP performance monitoring", ACM CCR 31(2), 2001):
 *       Id = 0.024·Ta + 0.11·(Ta − 177.3)·H(Ta − 177.3). Ta is the one-way delay (half the RTCP
 *       round trip, or 0 when no RTCP told it: the report then says the delay was not known)
 *       plus a jitter buffer of twice the measured jitter, which is how jitter costs quality.
 * </ul>
 *
 * <p>Codec values (ITU-T G.113 Appendix I, Tables I.1 and I.3): G.711 with packet-loss
 * concealment Ie = 0, Bpl = 25.1; G.729 and G.729A Ie = 11 (G.729A+VAD), Bpl = 19.0. Opus has no
 * entry in G.113 Appendix I; it is given G.711-with-PLC's values (Ie = 0, Bpl = 25.1), a
 * narrowband stand-in that neither rewards its wideband audio nor penalises its concealment.
 * Unknown codecs get the same G.711 values.
 */
public final class EModel {
    /** R with every G.107 default and no impairment. */
    public static final double R_DEFAULT = 93.2;

    public enum Codec {
        G711(0, 25.1),
        G729(11, 19.0),
        OPUS(0, 25.1),
        OTHER(0, 25.1);

        final double ie;
        final double bpl;

        Codec(double ie, double bpl) {
            this.ie = ie;
            this.bpl = bpl;
        }

        /** The codec an SDP/RFC 3551 encoding name stands for (PCMU, PCMA, G729, opus, ...). */
        public static Codec forName(String encoding) {
            if (encoding == null) return OTHER;
            if (encoding.equalsIgnoreCase("PCMU") || encoding.equalsIgnoreCase("PCMA")) return G711;
            if (encoding.regionMatches(true, 0, "G729", 0, 4)) return G729;
            if (encoding.equalsIgnoreCase("opus")) return OPUS;
            return OTHER;
        }
    }

    private EModel() {}

    /**
     * R-factor, 0-100.
     *
     * @param lossPercent packets lost, percent of those expected
     * @param jitterMs    interarrival jitter, ms
     * @param rttMs       RTCP round-trip time in ms, or a negative number when unknown
     */
    public static double rFactor(Codec codec, double lossPercent, double jitterMs, double rttMs) {
        double ppl = Math.max(0, Math.min(100, lossPercent));
        double ieEff = codec.ie + (95 - codec.ie) * ppl / (ppl + codec.bpl);
        double ta = Math.max(0, rttMs) / 2 + 2 * Math.max(0, jitterMs);
        double id = 0.024 * ta + (ta > 177.3 ? 0.11 * (ta - 177.3) : 0);
        return Math.max(0, Math.min(100, R_DEFAULT - id - ieEff));
    }

    /** R-factor of a stream as measured so far: its codec, loss (percent of expected) and mean jitter. */
    public static double rFactor(RtpStreamStats s, double rttMs) {
        return rFactor(Codec.forName(s.payloadTypes().name(s.payloadType())), lossPercent(s), s.meanJitterMs(), rttMs);
    }

    /** Packets lost, percent of those expected (0 before any). */
    public static double lossPercent(RtpStreamStats s) {
        long expected = s.expected();
        return expected == 0 ? 0 : 100.0 * s.lost() / expected;
    }

    /** Mean opinion score from R, ITU-T G.107 Annex B (B-1). */
    public static double mos(double r) {
        if (r <= 0) return 1;
        if (r >= 100) return 4.5;
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    }
}
