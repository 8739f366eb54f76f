package org.heptap.rtp;

/**
 * Validates an RTP datagram's header (RFC 3550 §5.1) into a reusable {@link RtpHeader}: version
 * 2, the CSRC list, the header extension and the padding must all fit the datagram, so a
 * truncated or garbage datagram is refused rather than analysed as a stream. On an rtcp-mux
 * port RTCP shares the socket with RTP; RFC 5761 §4 tells them apart by the second byte, which
 * for RTCP (packet types 192-223, among them SR/RR/SDES/BYE/APP 200-204) would be marker bit
 * plus a payload type 64-95 that RTP must not use there.
 *
 * <p>Stateless and allocation-free: it runs for every RTP packet an SBC sees.
 */
public final class RtpHeaderParser {
    static final int FIXED_HEADER = 12;

    private RtpHeaderParser() {}

    public static RtpResult parse(byte[] b, int off, int len, RtpHeader out) {
        out.clear();
        if (len <= 0) return RtpResult.EMPTY;
        if (off < 0 || len > b.length - off) return RtpResult.TRUNCATED;
        if (len < 2) return RtpResult.TOO_SHORT;
        int first = b[off] & 0xff;
        if ((first >>> 6) != 2) return RtpResult.BAD_VERSION;
        int second = b[off + 1] & 0xff;
        if (second >= 192 && second <= 223) return RtpResult.RTCP;
        if (len < FIXED_HEADER) return RtpResult.TOO_SHORT;
        int csrc = first & 0x0f;
        int pos = off + FIXED_HEADER + 4 * csrc;
        int end = off + len;
        if (pos > end) return RtpResult.TOO_SHORT;
        boolean extension = (first & 0x10) != 0;
        if (extension) {
            if (end - pos < 4) return RtpResult.TOO_SHORT;
            int words = ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
            pos += 4;
            if (4 * words > end - pos) return RtpResult.BAD_EXTENSION;
            pos += 4 * words;
        }
        int pad = 0;
        boolean padding = (first & 0x20) != 0;
        if (padding) {
            pad = b[end - 1] & 0xff;
            if (pad == 0 || pad > end - pos) return RtpResult.BAD_PADDING;
        }
        out.version = 2;
        out.padding = padding;
        out.extension = extension;
        out.csrcCount = csrc;
        out.marker = (second & 0x80) != 0;
        out.payloadType = second & 0x7f;
        out.sequence = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
        out.timestamp = u32(b, off + 4);
        out.ssrc = u32(b, off + 8);
        out.payloadOffset = pos;
        out.payloadLength = end - pos - pad;
        out.paddingLength = pad;
        return RtpResult.RTP;
    }

    static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }
}
