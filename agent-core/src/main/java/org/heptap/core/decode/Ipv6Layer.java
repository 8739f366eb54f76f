package org.heptap.core.decode;

/**
 * IPv6 header and its extension headers (hop-by-hop, routing, fragment, destination options,
 * authentication) up to the transport header.
 */
final class Ipv6Layer {
    private Ipv6Layer() {}

    private static final int HEADER = 40;
    private static final int HOP_BY_HOP = 0;
    private static final int ROUTING = 43;
    private static final int FRAGMENT = 44;
    private static final int AUTHENTICATION = 51;
    private static final int NO_NEXT_HEADER = 59;
    private static final int DESTINATION_OPTIONS = 60;

    static DecodeResult decode(PacketCursor c) {
        int o = c.offset;
        if (c.captured(o) < HEADER) return DecodeResult.TRUNCATED;
        if (c.u8(o) >> 4 != 6) return DecodeResult.MALFORMED;
        int payloadLength = c.u16(o + 4);
        c.ipVersion = 6;
        c.ipStart = o;
        c.srcAddrOffset = o + 8;
        c.dstAddrOffset = o + 24;
        // 0: a jumbogram or a segmentation-offload capture; what was captured is the packet
        c.ipEnd = payloadLength == 0 ? c.end : o + HEADER + payloadLength;
        if (c.ipEnd > c.wireEnd) return DecodeResult.MALFORMED;

        int next = c.u8(o + 6);
        int p = o + HEADER;
        // every extension header is at least 8 bytes long, so this walk ends
        while (true) {
            int length;
            switch (next) {
                case HOP_BY_HOP, ROUTING, DESTINATION_OPTIONS:
                    if (p + 2 > c.ipEnd) return DecodeResult.MALFORMED;
                    if (p + 2 > c.end) return DecodeResult.TRUNCATED;
                    length = (c.u8(p + 1) + 1) * 8;
                    break;
                case AUTHENTICATION:
                    if (p + 2 > c.ipEnd) return DecodeResult.MALFORMED;
                    if (p + 2 > c.end) return DecodeResult.TRUNCATED;
                    length = (c.u8(p + 1) + 2) * 4;
                    break;
                case FRAGMENT:
                    if (p + 8 > c.ipEnd) return DecodeResult.MALFORMED;
                    if (p + 8 > c.end) return DecodeResult.TRUNCATED;
                    // offset or more-fragments set: a real fragment. Both clear: an atomic
                    // fragment (RFC 6946), a whole datagram that is delivered as it is
                    if ((c.u16(p + 2) & 0xfff9) != 0) {
                        c.protocol = c.u8(p);
                        c.fragmentHeader = p;
                        c.offset = p + 8;
                        return DecodeResult.FRAGMENT;
                    }
                    length = 8;
                    break;
                case NO_NEXT_HEADER:
                    return DecodeResult.NO_PAYLOAD;
                default:
                    // the transport header, or something unknown the caller turns away
                    c.protocol = next;
                    c.offset = p;
                    return null;
            }
            if (p + length > c.ipEnd) return DecodeResult.MALFORMED;
            next = c.u8(p);
            p += length;
        }
    }
}
