package org.heptap.core.decode;

/**
 * GRE (RFC 2784/2890) and the ERSPAN headers it may carry (types I, II and III): finds where the
 * mirrored packet starts and whether it is an IP packet or a whole Ethernet frame.
 */
final class GreLayer {
    private GreLayer() {}

    static final int ETHERTYPE_TRANSPARENT_ETHERNET = 0x6558;
    static final int ETHERTYPE_ERSPAN_II = 0x88be;
    static final int ETHERTYPE_ERSPAN_III = 0x22eb;

    private static final int CHECKSUM = 0x8000;
    private static final int ROUTING = 0x4000;
    private static final int KEY = 0x2000;
    private static final int SEQUENCE = 0x1000;

    /**
     * Reads the GRE header at {@code c.offset} (ending at {@code c.ipEnd}). On success sets
     * {@code c.offset} to the inner packet and {@code c.etherType} to IPv4, IPv6 or
     * {@link #ETHERTYPE_TRANSPARENT_ETHERNET} (an Ethernet frame follows) and returns null.
     */
    static DecodeResult decode(PacketCursor c) {
        int o = c.offset;
        if (c.ipEnd - o < 4) return DecodeResult.MALFORMED;
        if (c.captured(o) < 4) return DecodeResult.TRUNCATED;
        int flags = c.u16(o);
        // version 1 is PPTP's enhanced GRE and source routing is long obsolete: neither carries mirrors
        if ((flags & 0x7) != 0 || (flags & ROUTING) != 0) return DecodeResult.UNSUPPORTED_PROTOCOL;
        int type = c.u16(o + 2);
        int p = o + 4;
        if ((flags & CHECKSUM) != 0) p += 4;
        if ((flags & KEY) != 0) p += 4;
        if ((flags & SEQUENCE) != 0) p += 4;
        switch (type) {
            case LinkLayer.ETHERTYPE_IPV4, LinkLayer.ETHERTYPE_IPV6, ETHERTYPE_TRANSPARENT_ETHERNET:
                break;
            case ETHERTYPE_ERSPAN_II:
                // type I has no sequence number and no ERSPAN header: the frame follows at once
                if ((flags & SEQUENCE) != 0) {
                    if (p + 8 > c.ipEnd) return DecodeResult.MALFORMED;
                    if (p + 8 > c.end) return DecodeResult.TRUNCATED;
                    if (c.u8(p) >> 4 != 1) return DecodeResult.UNSUPPORTED_PROTOCOL;
                    p += 8;
                }
                type = ETHERTYPE_TRANSPARENT_ETHERNET;
                break;
            case ETHERTYPE_ERSPAN_III: {
                if (p + 12 > c.ipEnd) return DecodeResult.MALFORMED;
                if (p + 12 > c.end) return DecodeResult.TRUNCATED;
                if (c.u8(p) >> 4 != 2) return DecodeResult.UNSUPPORTED_PROTOCOL;
                boolean platformSubheader = (c.u8(p + 11) & 1) != 0;
                p += platformSubheader ? 20 : 12;
                type = ETHERTYPE_TRANSPARENT_ETHERNET;
                break;
            }
            default:
                return DecodeResult.UNSUPPORTED_PROTOCOL;
        }
        if (p >= c.ipEnd) return DecodeResult.MALFORMED;
        c.etherType = type;
        c.enter(p, c.ipEnd);
        return null;
    }
}
