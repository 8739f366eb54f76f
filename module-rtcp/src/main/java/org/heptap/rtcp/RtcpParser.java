package org.heptap.rtcp;

/**
 * Validates a compound RTCP datagram and indexes it into an {@link RtcpCompound}. Every
 * packet's version and length are checked against the datagram and every structure inside a
 * packet (report blocks, SDES chunks and items, BYE sources, XR blocks, padding) against the
 * packet's own length, so the accessors of the compound never read past the datagram. A
 * datagram with any malformed packet is rejected as a whole: half a compound is not a report
 * HOMER can show, and a bad length usually means everything after it is garbage.
 *
 * <p>Stateless and allocation-free; the result lands in the caller's reusable compound.
 */
public final class RtcpParser {
    private RtcpParser() {}

    public static RtcpResult parse(byte[] b, int off, int len, RtcpCompound out) {
        out.reset(b);
        if (len <= 0) return RtcpResult.EMPTY;
        if (off < 0 || len > b.length - off) return RtcpResult.TRUNCATED;
        int end = off + len;
        int pos = off;
        while (pos < end) {
            if (end - pos < 4) return RtcpResult.TOO_SHORT;
            int first = b[pos] & 0xff;
            if ((first >>> 6) != 2) return RtcpResult.BAD_VERSION;
            if (out.count == RtcpCompound.MAX_PACKETS) return RtcpResult.TOO_MANY_PACKETS;
            int size = (((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff)) * 4 + 4;
            if (size > end - pos) return RtcpResult.TRUNCATED;
            int content = size;
            if ((first & 0x20) != 0) {
                int pad = b[pos + size - 1] & 0xff;
                if (pad == 0 || pad > size - 4) return RtcpResult.BAD_LENGTH;
                content = size - pad;
            }
            int p = out.count;
            out.type[p] = b[pos + 1] & 0xff;
            out.countField[p] = first & 0x1f;
            out.start[p] = pos;
            out.size[p] = content;
            out.bodyStart[p] = pos + 8;
            out.itemCount[p] = 0;
            out.firstItem[p] = out.items;
            RtcpResult r = switch (out.type[p]) {
                case RtcpCompound.SR -> reports(out, p, 28);
                case RtcpCompound.RR -> reports(out, p, 8);
                case RtcpCompound.SDES -> sdes(b, out, p);
                case RtcpCompound.BYE -> bye(b, out, p);
                // APP: SSRC + name; RTPFB/PSFB: sender and media source SSRCs
                case RtcpCompound.APP, RtcpCompound.RTPFB, RtcpCompound.PSFB ->
                    content >= 12 ? RtcpResult.OK : RtcpResult.BAD_LENGTH;
                case RtcpCompound.XR -> xr(b, out, p);
                default -> RtcpResult.OK;
            };
            if (r != RtcpResult.OK) return r;
            out.count++;
            pos += size;
        }
        return RtcpResult.OK;
    }

    private static RtcpResult reports(RtcpCompound c, int p, int header) {
        if (c.size[p] < header + 24 * c.countField[p]) return RtcpResult.BAD_LENGTH;
        c.bodyStart[p] = c.start[p] + header;
        return RtcpResult.OK;
    }

    /** SC chunks: SSRC, items {type, len, text} up to a zero type, then padding to 32 bits. */
    private static RtcpResult sdes(byte[] b, RtcpCompound c, int p) {
        int pos = c.start[p] + 4;
        int end = c.start[p] + c.size[p];
        c.bodyStart[p] = pos;
        for (int chunk = 0; chunk < c.countField[p]; chunk++) {
            if (end - pos < 4) return RtcpResult.BAD_LENGTH;
            pos += 4;
            while (true) {
                if (pos >= end) return RtcpResult.BAD_LENGTH; // no end-of-items byte
                int type = b[pos] & 0xff;
                if (type == 0) {
                    pos++;
                    break;
                }
                if (end - pos < 2) return RtcpResult.BAD_LENGTH;
                int len = b[pos + 1] & 0xff;
                if (len > end - pos - 2) return RtcpResult.BAD_LENGTH;
                if (chunk == 0 && c.itemCount[p] < RtcpCompound.MAX_ITEMS && c.items < c.itemType.length) {
                    int i = c.items++;
                    c.itemType[i] = type;
                    c.itemOff[i] = pos + 2;
                    c.itemLen[i] = len;
                    c.itemCount[p]++;
                }
                pos += 2 + len;
            }
            pos = c.start[p] + ((pos - c.start[p] + 3) & ~3);
            if (pos > end) return RtcpResult.BAD_LENGTH;
        }
        return RtcpResult.OK;
    }

    private static RtcpResult bye(byte[] b, RtcpCompound c, int p) {
        int sources = 4 + 4 * c.countField[p];
        if (c.size[p] < sources) return RtcpResult.BAD_LENGTH;
        if (c.size[p] > sources) {
            int reason = b[c.start[p] + sources] & 0xff;
            if (reason > c.size[p] - sources - 1) return RtcpResult.BAD_LENGTH;
        }
        return RtcpResult.OK;
    }

    /** RFC 3611: SSRC, then blocks {BT, type-specific, length in words after the header}. */
    private static RtcpResult xr(byte[] b, RtcpCompound c, int p) {
        if (c.size[p] < 8) return RtcpResult.BAD_LENGTH;
        int pos = c.start[p] + 8;
        int end = c.start[p] + c.size[p];
        while (pos < end) {
            if (end - pos < 4) return RtcpResult.BAD_LENGTH;
            int bt = b[pos] & 0xff;
            int blockLen = 4 + 4 * (((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff));
            if (blockLen > end - pos) return RtcpResult.BAD_LENGTH;
            int need = switch (bt) {
                case RtcpCompound.XR_LOSS_RLE, RtcpCompound.XR_DUP_RLE -> 12;
                case RtcpCompound.XR_STAT_SUMMARY -> 40;
                case RtcpCompound.XR_VOIP_METRICS -> 36;
                default -> 4;
            };
            if (blockLen < need) return RtcpResult.BAD_LENGTH;
            if (c.xrBlocks < RtcpCompound.MAX_XR_BLOCKS) {
                int x = c.xrBlocks++;
                c.xrPacket[x] = p;
                c.xrType[x] = bt;
                c.xrOff[x] = pos;
                c.xrLen[x] = blockLen;
            }
            pos += blockLen;
        }
        return RtcpResult.OK;
    }
}
