package org.heptap.core.decode;

import org.heptap.core.capture.Frame;
import org.heptap.core.message.Message;
import org.heptap.core.spi.MessageSink;

/**
 * Takes a captured frame apart (link layer, VLAN tags, IPv4/IPv6, UDP/TCP) into the reusable
 * {@link Message} and hands each transport payload to a sink. The payload is a slice of
 * {@link Frame#data}, not a copy, valid until the source reads the next frame.
 *
 * <p>Bad input is a {@link DecodeResult}, counted in {@link #stats()}, never an exception; no
 * byte at or beyond {@link Frame#length} is read; nothing is allocated per frame. One decoder
 * belongs to one capture thread.
 *
 * <p>Today a frame yields at most one message. The sink exists for what comes next: IP
 * reassembly and TCP stream framing may complete several messages with one frame.
 */
public final class PacketDecoder {
    private final PacketCursor cursor = new PacketCursor();
    private final DecodeStats stats = new DecodeStats();

    /**
     * Decodes {@code frame} into {@code msg} (reset first) and calls {@code sink} once if it holds a
     * UDP or TCP payload. Fields learnt before decoding stopped (timestamp, VLAN, addresses) are
     * filled even when nothing is delivered.
     */
    public DecodeResult decode(Frame frame, Message msg, MessageSink sink) {
        msg.reset();
        msg.setTimestampMicros(frame.timestampMicros);
        PacketCursor c = cursor;
        c.rewind(frame.data, frame.length, frame.wireLength);
        DecodeResult r = decodeLayers(c, frame.linkType, msg);
        stats.increment(r);
        if (r == DecodeResult.DELIVERED) {
            if (c.payloadCut) stats.countPayloadCut();
            msg.setPorts(c.srcPort, c.dstPort);
            msg.setPayload(c.data, c.payloadOffset, c.payloadLength);
            sink.accept(msg);
        }
        return r;
    }

    private static DecodeResult decodeLayers(PacketCursor c, int linkType, Message msg) {
        DecodeResult r = LinkLayer.decode(c, linkType);
        msg.setVlan(c.vlan);
        if (r != null) return r;
        r = c.etherType == LinkLayer.ETHERTYPE_IPV4 ? Ipv4Layer.decode(c) : Ipv6Layer.decode(c);
        if (c.ipVersion != 0) {
            msg.setAddresses(c.ipVersion, c.data, c.srcAddrOffset, c.data, c.dstAddrOffset);
            msg.setIpProtocol(c.protocol);
        }
        if (r != null) return r;
        msg.setIpProtocol(c.protocol);
        return TransportLayer.decode(c);
    }

    /** Counters since this decoder was created. */
    public DecodeStats stats() { return stats; }
}
