package org.heptap.core.decode;

import org.heptap.core.message.Message;

/**
 * UDP and TCP headers: ports and the payload slice. The payload ends where the transport (UDP
 * length) or IP (total length) says, cut to what was captured; link-layer padding after the IP
 * packet is never part of it.
 */
final class TransportLayer {
    private TransportLayer() {}

    private static final int UDP_HEADER = 8;
    private static final int TCP_MIN_HEADER = 20;

    static DecodeResult decode(PacketCursor c) {
        return switch (c.protocol) {
            case Message.IP_PROTO_UDP -> udp(c);
            case Message.IP_PROTO_TCP -> tcp(c);
            default -> DecodeResult.UNSUPPORTED_PROTOCOL;
        };
    }

    private static DecodeResult udp(PacketCursor c) {
        int o = c.offset;
        int onWire = c.ipEnd - o;
        if (onWire < UDP_HEADER) return DecodeResult.MALFORMED;
        if (c.captured(o) < UDP_HEADER) return DecodeResult.TRUNCATED;
        int length = c.u16(o + 4);
        // shorter than its own header, or longer than the IP packet holding it
        if (length < UDP_HEADER || length > onWire) return DecodeResult.MALFORMED;
        c.srcPort = c.u16(o);
        c.dstPort = c.u16(o + 2);
        return slice(c, o + UDP_HEADER, o + length);
    }

    private static DecodeResult tcp(PacketCursor c) {
        int o = c.offset;
        int onWire = c.ipEnd - o;
        if (onWire < TCP_MIN_HEADER) return DecodeResult.MALFORMED;
        if (c.captured(o) < TCP_MIN_HEADER) return DecodeResult.TRUNCATED;
        int headerLength = (c.u8(o + 12) >> 4) * 4;
        if (headerLength < TCP_MIN_HEADER || headerLength > onWire) return DecodeResult.MALFORMED;
        if (c.captured(o) < headerLength) return DecodeResult.TRUNCATED;
        c.srcPort = c.u16(o);
        c.dstPort = c.u16(o + 2);
        c.tcpSequence = c.u32(o + 4) & 0xffffffffL;
        c.tcpFlags = c.u8(o + 13);
        return slice(c, o + headerLength, c.ipEnd);
    }

    private static DecodeResult slice(PacketCursor c, int start, int endOnWire) {
        if (endOnWire == start) return DecodeResult.NO_PAYLOAD;
        int end = Math.min(endOnWire, c.end);
        if (end <= start) return DecodeResult.TRUNCATED; // snaplen ended right at the header
        c.payloadOffset = start;
        c.payloadLength = end - start;
        c.payloadCut = end < endOnWire;
        c.payloadWireEnd = endOnWire;
        return DecodeResult.DELIVERED;
    }
}
