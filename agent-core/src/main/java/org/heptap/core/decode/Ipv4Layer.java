package org.heptap.core.decode;

/** IPv4 header: validated, addresses and protocol noted, fragments set aside. */
final class Ipv4Layer {
    private Ipv4Layer() {}

    private static final int MIN_HEADER = 20;

    static DecodeResult decode(PacketCursor c) {
        int o = c.offset;
        if (c.captured(o) < MIN_HEADER) return DecodeResult.TRUNCATED;
        int versionIhl = c.u8(o);
        if (versionIhl >> 4 != 4) return DecodeResult.MALFORMED;
        int headerLength = (versionIhl & 0x0f) * 4;
        if (headerLength < MIN_HEADER) return DecodeResult.MALFORMED;
        int totalLength = c.u16(o + 2);
        if (totalLength == 0) {
            // segmentation offload: a packet captured on the sending host before the NIC split
            // it has total length 0; what was captured is the packet
            totalLength = c.captured(o);
        }
        if (totalLength < headerLength || o + totalLength > c.wireEnd) return DecodeResult.MALFORMED;
        if (c.captured(o) < headerLength) return DecodeResult.TRUNCATED;

        c.ipVersion = 4;
        c.ipStart = o;
        c.srcAddrOffset = o + 12;
        c.dstAddrOffset = o + 16;
        c.protocol = c.u8(o + 9);
        c.ipEnd = o + totalLength;
        // more-fragments flag or a fragment offset: one piece of a datagram
        c.offset = o + headerLength;
        if ((c.u16(o + 6) & 0x3fff) != 0) return DecodeResult.FRAGMENT;
        return null;
    }
}
