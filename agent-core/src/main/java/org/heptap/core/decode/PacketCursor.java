package org.heptap.core.decode;

/**
 * Where the layer decoders are in one frame, and what they found so far. One instance per
 * {@link PacketDecoder}, rewound for every frame; nothing is read at or after {@link #end}.
 */
final class PacketCursor {
    byte[] data;
    /** End of the captured bytes; every read stays below it. */
    int end;
    /**
     * End of the frame as it was on the wire (at least {@link #end}): an IP header claiming more
     * is lying, not cut by the snaplen.
     */
    int wireEnd;
    /** Start of the layer being decoded next. */
    int offset;

    int etherType;
    int vlan;

    int ipVersion;
    /** Start of the IP header. */
    int ipStart;
    /** Start of the IPv6 fragment header when {@link DecodeResult#FRAGMENT} was returned. */
    int fragmentHeader;

    int srcAddrOffset;
    int dstAddrOffset;
    /** Transport protocol number (IPv4 protocol, last IPv6 next header). */
    int protocol;
    /**
     * End of the IP packet as its header states it. May lie beyond {@link #end} when snaplen cut
     * the frame, and before it when the link layer padded the frame (Ethernet minimum size).
     */
    int ipEnd;

    int srcPort;
    int dstPort;
    long tcpSequence;
    int tcpFlags;
    int payloadOffset;
    int payloadLength;
    /** End of the payload as it was on the wire (beyond {@link #end} when snaplen cut it). */
    int payloadWireEnd;
    /** The payload was delivered shorter than it was on the wire. */
    boolean payloadCut;

    /** A new frame: {@code length} bytes of {@code data} from {@code start}, {@code wireLength} on the wire. */
    void rewind(byte[] data, int start, int length, int wireLength) {
        start = Math.max(0, Math.min(start, data.length));
        this.data = data;
        // a frame claiming more bytes than its buffer holds is trusted only as far as the buffer
        this.end = (int) Math.max(start, Math.min((long) start + Math.max(0, length), data.length));
        this.wireEnd = (int) Math.max(end, Math.min(Integer.MAX_VALUE, (long) start + wireLength));
        offset = start;
        etherType = 0;
        vlan = -1;
        ipVersion = 0;
        ipStart = 0;
        fragmentHeader = 0;
        protocol = 0;
        ipEnd = 0;
        srcPort = 0;
        dstPort = 0;
        tcpSequence = 0;
        tcpFlags = 0;
        payloadOffset = 0;
        payloadLength = 0;
        payloadWireEnd = 0;
        payloadCut = false;
    }

    /**
     * Narrows the frame to an inner packet that starts at {@code start} and ends, on the wire, at
     * {@code endOnWire} (a tunnel's payload): nothing of the outer packet after it is read.
     */
    void enter(int start, int endOnWire) {
        offset = start;
        wireEnd = Math.min(wireEnd, endOnWire);
        end = Math.min(end, wireEnd);
    }

    /** Bytes captured from {@code at} on. */
    int captured(int at) {
        return end - at;
    }

    int u8(int at) {
        return data[at] & 0xff;
    }

    int u16(int at) {
        return ((data[at] & 0xff) << 8) | (data[at + 1] & 0xff);
    }

    int u32(int at) {
        return (u16(at) << 16) | u16(at + 2);
    }
}
