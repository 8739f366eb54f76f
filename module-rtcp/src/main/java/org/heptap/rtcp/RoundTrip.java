package org.heptap.rtcp;

/**
 * Round-trip time from an RTCP report block (RFC 3550 §6.4.1): the block's sender got our SR at
 * LSR (middle 32 bits of its NTP time), held it DLSR (1/65536 s) and its report arrived now, so
 * RTT = arrival − LSR − DLSR. Reports without an SR to refer to (LSR 0) say nothing.
 */
final class RoundTrip {
    /** Seconds from 1900 (NTP) to 1970 (Unix). */
    private static final long NTP_UNIX_OFFSET = 2_208_988_800L;
    /** A round trip over this is a clock or a counting error, not a network. */
    private static final double MAX_MS = 10_000;

    private RoundTrip() {}

    /** The block's round trip in ms, or -1 when it has none (LSR 0) or it is not plausible. */
    static double ms(long lsr, long dlsr, long arrivalMicros) {
        if (lsr == 0) return -1;
        long seconds = Math.floorDiv(arrivalMicros, 1_000_000L) + NTP_UNIX_OFFSET;
        long fraction = (Math.floorMod(arrivalMicros, 1_000_000L) << 32) / 1_000_000L;
        long arrival = ((seconds & 0xffff) << 16) | (fraction >>> 16);
        long rtt = (arrival - lsr - dlsr) & 0xffffffffL;
        double ms = rtt * 1000.0 / 65536;
        return ms <= MAX_MS ? ms : -1;
    }

    /** The last plausible round trip of a compound's SR/RR report blocks, or -1. */
    static double of(RtcpCompound c, long arrivalMicros) {
        double found = -1;
        for (int p = 0; p < c.packetCount(); p++) {
            int t = c.type(p);
            if (t != RtcpCompound.SR && t != RtcpCompound.RR) continue;
            for (int b = 0; b < c.countField(p); b++) {
                double ms = ms(c.blockLsr(p, b), c.blockDlsr(p, b), arrivalMicros);
                if (ms >= 0) found = ms;
            }
        }
        return found;
    }
}
