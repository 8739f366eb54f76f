package org.heptap.core.decode;

import org.heptap.core.capture.LinkTypes;

/**
 * Link layer: finds where the IP packet starts and which IP version it is, for each supported
 * link type, skipping any stack of VLAN tags on the way.
 */
final class LinkLayer {
    private LinkLayer() {}

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88a8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;

    private static final int ETHERNET_HEADER = 14;
    private static final int SLL_HEADER = 16;
    private static final int SLL2_HEADER = 20;
    private static final int NULL_HEADER = 4;

    private static final int AF_INET = 2;

    /**
     * From the frame's start at {@code c.offset}, sets {@code c.offset} to the IP header and
     * {@code c.etherType} to its version; returns null to go on, or the result that ends decoding.
     */
    static DecodeResult decode(PacketCursor c, int linkType) {
        int at = c.offset; // the frame's first byte
        switch (linkType) {
            case LinkTypes.ETHERNET:
                return ethernetAt(c, at);
            case LinkTypes.LINUX_SLL:
                if (c.captured(at) < SLL_HEADER) return DecodeResult.TRUNCATED;
                c.etherType = c.u16(at + 14);
                c.offset = at + SLL_HEADER;
                return skipVlanTags(c);
            case LinkTypes.LINUX_SLL2:
                if (c.captured(at) < SLL2_HEADER) return DecodeResult.TRUNCATED;
                c.etherType = c.u16(at);
                c.offset = at + SLL2_HEADER;
                return skipVlanTags(c);
            case LinkTypes.RAW, LinkTypes.RAW_BSD, LinkTypes.RAW_OPENBSD:
                return byVersionNibble(c, at);
            case LinkTypes.IPV4:
                c.etherType = ETHERTYPE_IPV4;
                return null;
            case LinkTypes.IPV6:
                c.etherType = ETHERTYPE_IPV6;
                return null;
            case LinkTypes.NULL: {
                if (c.captured(at) < NULL_HEADER) return DecodeResult.TRUNCATED;
                // host byte order of the capturing machine: a family never needs the high 16 bits
                int family = c.u32(at);
                if ((family & 0xffff0000) != 0) family = Integer.reverseBytes(family);
                return byFamily(c, at, family);
            }
            case LinkTypes.LOOP:
                if (c.captured(at) < NULL_HEADER) return DecodeResult.TRUNCATED;
                return byFamily(c, at, c.u32(at));
            default:
                return DecodeResult.UNSUPPORTED_LINK;
        }
    }

    /** An Ethernet frame inside a tunnel, starting at {@code at}. */
    static DecodeResult ethernetAt(PacketCursor c, int at) {
        if (c.captured(at) < ETHERNET_HEADER) return DecodeResult.TRUNCATED;
        c.etherType = c.u16(at + 12);
        c.offset = at + ETHERNET_HEADER;
        return skipVlanTags(c);
    }

    private static DecodeResult skipVlanTags(PacketCursor c) {
        int type = c.etherType;
        // each tag needs 4 captured bytes, so the loop ends with the frame at the latest
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
            if (c.captured(c.offset) < 4) return DecodeResult.TRUNCATED;
            c.vlan = c.u16(c.offset) & 0x0fff; // the last tag read is the innermost
            type = c.u16(c.offset + 2);
            c.offset += 4;
        }
        c.etherType = type;
        return type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6 ? null : DecodeResult.NOT_IP;
    }

    private static DecodeResult byFamily(PacketCursor c, int at, int family) {
        c.offset = at + NULL_HEADER;
        if (family == AF_INET) {
            c.etherType = ETHERTYPE_IPV4;
            return null;
        }
        // AF_INET6 differs per OS: Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, macOS 30
        if (family == 10 || family == 24 || family == 28 || family == 30) {
            c.etherType = ETHERTYPE_IPV6;
            return null;
        }
        return DecodeResult.NOT_IP;
    }

    private static DecodeResult byVersionNibble(PacketCursor c, int at) {
        if (c.captured(at) < 1) return DecodeResult.TRUNCATED;
        c.offset = at;
        switch (c.u8(at) >> 4) {
            case 4:
                c.etherType = ETHERTYPE_IPV4;
                return null;
            case 6:
                c.etherType = ETHERTYPE_IPV6;
                return null;
            default:
                return DecodeResult.NOT_IP;
        }
    }
}
