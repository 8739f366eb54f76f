package org.heptap.rtcp;

/**
 * The call quality an RFC 3611 VoIP-metrics block (§4.7) states: MOS and R-factor, as heplify
 * puts them in HEP chunks 0x0020 and 0x0021 so collectors can index quality without parsing the
 * JSON. The block's value 127 means "unavailable"; anything outside the field's range is treated
 * the same, so a broken phone's byte never becomes a quality figure.
 */
final class XrQuality {
    private XrQuality() {}

    /** Index of the compound's first VoIP-metrics block, or -1. */
    static int voipMetricsBlock(RtcpCompound c) {
        for (int x = 0; x < c.xrBlockCount(); x++) {
            if (c.xrBlockType(x) == RtcpCompound.XR_VOIP_METRICS) return x;
        }
        return -1;
    }

    /** MOS x 100 of block {@code x}: MOS-CQ, else MOS-LQ (each MOS x 10 in 10..50); -1 when neither is available. */
    static int mosTimes100(RtcpCompound c, int x) {
        int cq = c.xrU8(x, 27);
        if (cq >= 10 && cq <= 50) return cq * 10;
        int lq = c.xrU8(x, 26);
        return lq >= 10 && lq <= 50 ? lq * 10 : -1;
    }

    /** R-factor (0..100) of block {@code x}; -1 when unavailable. */
    static int rFactor(RtcpCompound c, int x) {
        int r = c.xrU8(x, 24);
        return r <= 100 ? r : -1;
    }
}
