package org.heptap.core.decode;

import java.util.Map;
import org.heptap.core.capture.Frame;
import org.heptap.core.message.Message;
import org.heptap.core.spi.MessageSink;

/**
 * Takes a captured frame apart (link layer, VLAN tags, IPv4/IPv6, UDP/TCP) into the reusable
 * {@link Message} and hands each transport payload to a sink. The payload is a slice of
 * {@link Frame#data} (or of a reassembled datagram), not a copy, valid until the sink returns.
 *
 * <p>With {@link DecodeOptions} it also reassembles IP fragments ({@link FragmentReassembler}),
 * decodes the inner packet of IP-in-IP, GRE/ERSPAN, VXLAN and HP ERM tunnels as if it had been
 * captured directly (inner addresses and ports), and drops duplicates ({@link DuplicateFilter}).
 *
 * <p>Bad input is a {@link DecodeResult}, counted in {@link #stats()}, never an exception; no
 * byte at or beyond {@link Frame#length} is read. One decoder belongs to one capture thread.
 */
public final class PacketDecoder {
    /** Tunnels inside tunnels (and datagrams reassembled inside them) deeper than this are refused. */
    static final int MAX_NESTING = 4;

    private final PacketCursor cursor = new PacketCursor();
    private final DecodeStats stats = new DecodeStats();
    private final FragmentReassembler fragments;
    private final DuplicateFilter duplicates;
    private final boolean decapsulate;
    private long decapsulated;
    /** Set while decoding a frame whose payload came out of the fragment reassembler. */
    private boolean reassembled;

    /** A plain decoder: no reassembly, no tunnels, no dedup. */
    public PacketDecoder() {
        this(DecodeOptions.NONE);
    }

    public PacketDecoder(DecodeOptions o) {
        fragments = o.defrag()
                ? new FragmentReassembler(o.fragmentDatagrams(), o.fragmentBytes(), o.fragmentTimeoutMicros())
                : null;
        duplicates = o.dedup() ? new DuplicateFilter(o.dedupWindowMicros()) : null;
        decapsulate = o.decapsulate();
    }

    /**
     * Decodes {@code frame} into {@code msg} (reset first) and calls {@code sink} once if it holds a
     * UDP or TCP payload. Fields learnt before decoding stopped (timestamp, VLAN, addresses) are
     * filled even when nothing is delivered.
     */
    public DecodeResult decode(Frame frame, Message msg, MessageSink sink) {
        msg.reset();
        reassembled = false;
        msg.setTimestampMicros(frame.timestampMicros);
        PacketCursor c = cursor;
        c.rewind(frame.data, frame.offset, frame.length, frame.wireLength);
        DecodeResult r = LinkLayer.decode(c, frame.linkType);
        msg.setVlan(c.vlan);
        if (r == null) r = decodeIp(c, msg, frame.timestampMicros, 0);
        stats.increment(r);
        if (r == DecodeResult.DELIVERED) {
            if (c.payloadCut) stats.countPayloadCut();
            msg.setPorts(c.srcPort, c.dstPort);
            if (c.protocol == Message.IP_PROTO_TCP) msg.setTcpSegment(c.tcpSequence, c.tcpFlags);
            msg.setPayload(c.data, c.payloadOffset, c.payloadLength);
            // a datagram made whole from fragments is several frames, none of them the message
            msg.setFrame(reassembled ? null : frame);
            sink.accept(msg);
        }
        if (fragments != null) fragments.release();
        return r;
    }

    /** The IP packet at {@code c.offset} ({@code c.etherType} says which version) and what it carries. */
    private DecodeResult decodeIp(PacketCursor c, Message msg, long now, int depth) {
        DecodeResult r = c.etherType == LinkLayer.ETHERTYPE_IPV4 ? Ipv4Layer.decode(c) : Ipv6Layer.decode(c);
        if (c.ipVersion != 0) {
            msg.setAddresses(c.ipVersion, c.data, c.srcAddrOffset, c.data, c.dstAddrOffset);
            msg.setIpProtocol(c.protocol);
            // the outermost packet as captured: a SPAN copy is identical from the IP header on
            if (depth == 0
                    && duplicates != null
                    && r != DecodeResult.MALFORMED
                    && duplicates.isDuplicate(c.data, c.ipStart, Math.min(c.ipEnd, c.end), now)) {
                return DecodeResult.DUPLICATE;
            }
        }
        if (r == DecodeResult.FRAGMENT && fragments != null) {
            // a fragment cut by the snaplen can never be made whole
            if (c.ipEnd > c.end) return DecodeResult.TRUNCATED;
            if (fragments.offer(c, now) != FragmentReassembler.COMPLETE) return DecodeResult.FRAGMENT;
            reassembled = true;
            int length = fragments.completedLength();
            int version = c.ipVersion;
            c.rewind(fragments.completedData(), 0, length, length);
            c.etherType = version == 4 ? LinkLayer.ETHERTYPE_IPV4 : LinkLayer.ETHERTYPE_IPV6;
            return nested(c, msg, now, depth, false);
        }
        if (r != null) return r;
        if (decapsulate) {
            switch (c.protocol) {
                case 4, 41 -> {
                    c.etherType = c.protocol == 4 ? LinkLayer.ETHERTYPE_IPV4 : LinkLayer.ETHERTYPE_IPV6;
                    c.enter(c.offset, c.ipEnd);
                    return nested(c, msg, now, depth, true);
                }
                case 47 -> {
                    r = GreLayer.decode(c);
                    if (r != null) return r;
                    return c.etherType == GreLayer.ETHERTYPE_TRANSPARENT_ETHERNET
                            ? nestedEthernet(c, msg, now, depth)
                            : nested(c, msg, now, depth, true);
                }
                default -> {}
            }
        }
        r = TransportLayer.decode(c);
        if (r == DecodeResult.DELIVERED
                && decapsulate
                && c.protocol == Message.IP_PROTO_UDP
                && UdpTunnelLayer.isTunnelPort(c.dstPort)) {
            DecodeResult t = UdpTunnelLayer.decode(c);
            if (t != null) return r; // not a tunnel after all: an ordinary datagram to that port
            return nestedEthernet(c, msg, now, depth);
        }
        return r;
    }

    private DecodeResult nested(PacketCursor c, Message msg, long now, int depth, boolean tunnel) {
        if (depth + 1 >= MAX_NESTING) return DecodeResult.NESTED_TOO_DEEP;
        if (tunnel) decapsulated++;
        return decodeIp(c, msg, now, depth + 1);
    }

    private DecodeResult nestedEthernet(PacketCursor c, Message msg, long now, int depth) {
        DecodeResult r = LinkLayer.ethernetAt(c, c.offset);
        msg.setVlan(c.vlan);
        if (r != null) return r;
        return nested(c, msg, now, depth, true);
    }

    /** Counters since this decoder was created. */
    public DecodeStats stats() {
        return stats;
    }

    /** The reassembler, or null when defrag is off. */
    public FragmentReassembler fragments() {
        return fragments;
    }

    /** The duplicate filter, or null when dedup is off. */
    public DuplicateFilter duplicates() {
        return duplicates;
    }

    /** Counters of reassembly, tunnels and dedup (zero parts left out when the feature is off). */
    public void addCounters(Map<String, Long> out) {
        if (fragments != null) fragments.addCounters(out);
        if (decapsulate) out.put("decapsulated", decapsulated);
        if (duplicates != null) out.put("duplicates-dropped", duplicates.dropped());
    }
}
