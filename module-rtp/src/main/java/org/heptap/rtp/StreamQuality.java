package org.heptap.rtp;

/**
 * One direction of a call's media (one RTP stream: source, destination, SSRC) as last measured:
 * an entry of {@link RtpQuality#activeCalls()} while the stream runs, or a final report.
 *
 * @param jitterMs mean interarrival jitter (Wireshark's), ms
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
        long lost,
        double jitterMs,
        double mos,
        double rFactor,
        boolean ended,
        long micros) {}
