package org.heptap.rtp;

/**
 * One direction of a call's media (one RTP stream: source, destination, SSRC) as last measured:
 * an entry of {@link RtpQuality#activeCalls()} while the stream runs, or a final report.
 *
 * @param expected packets expected from the sequence numbers (RFC 3550 A.3)
 * @param jitterMs mean interarrival jitter (Wireshark's), ms
 * @param maxJitterMs highest interarrival jitter, ms
 * @param mos      E-model MOS so far (1-4.5)
 * @param ended    true for the stream's final report
 * @param micros   the time of the figures (capture time in a replay)
 */
public record StreamQuality(
        String callId,
        String srcIp,
        int srcPort,
        String dstIp,
        int dstPort,
        long ssrc,
        String codec,
        long packets,
        long expected,
        long lost,
        double jitterMs,
        double maxJitterMs,
        double mos,
        double rFactor,
        boolean ended,
        long micros) {
    /** Lost packets in percent of the expected ones (0 when none were expected). */
    public double lossPercent() {
        return expected <= 0 ? 0 : 100.0 * lost / expected;
    }
}
