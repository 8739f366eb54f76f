package org.heptap.pcap;

import java.util.LinkedHashMap;
import java.util.Map;
import org.heptap.core.capture.LinkTypes;
import org.heptap.core.message.Message;

/**
 * Makes up the Ethernet, IPv4/IPv6 and UDP/TCP headers for a payload that has no captured frame
 * (HEP relayed from another agent, a collector socket, a message framed out of a TCP stream), so
 * Wireshark and sngrep open it with the captured addresses, ports and time. The headers go into a
 * reused buffer ({@link #headers()}), written in front of the payload
 * ({@link PcapFileWriter#write(long, byte[], int, int, byte[], int, int, int)}); the payload itself
 * is never copied here.
 *
 * <p>The frames are {@link LinkTypes#ETHERNET} with locally administered MAC addresses
 * (02:00:00:00:00:01 → 02:00:00:00:00:02), IP checksums and UDP/TCP checksums filled in, TTL 64.
 * TCP segments are PSH|ACK with sequence numbers that run on per flow (so Wireshark reassembles
 * the stream instead of calling every message a retransmission); the flow table is bounded.
 * Anything but TCP is written as UDP (SCTP has no faithful one-message form). A message with no IP
 * layer at all gets 0.0.0.0. A payload too large for one IP packet is cut (the record then says
 * how long it was, like a snaplen cut).
 *
 * <p>Not thread-safe: one synthesizer belongs to one writer thread.
 */
public final class FrameSynthesizer {
    public static final int LINK_TYPE = LinkTypes.ETHERNET;

    static final int ETHERNET_BYTES = 14;
    static final int IPV4_BYTES = 20;
    static final int IPV6_BYTES = 40;
    static final int UDP_BYTES = 8;
    static final int TCP_BYTES = 20;
    /** Flows whose next TCP sequence number is remembered; the least recently used go first. */
    static final int MAX_TCP_FLOWS = 4096;

    private final byte[] head = new byte[ETHERNET_BYTES + IPV6_BYTES + TCP_BYTES];
    private int headLength;
    private int payloadLength;

    private final Map<FlowKey, long[]> nextSequence = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<FlowKey, long[]> eldest) {
            return size() > MAX_TCP_FLOWS;
        }
    };

    /** The headers {@link #synthesize} built, valid until the next call. */
    public byte[] headers() {
        return head;
    }

    /** Length of {@link #headers()} from the last call. */
    public int headerLength() {
        return headLength;
    }

    /** How much of the payload the frame carries (less than asked when it did not fit one packet). */
    public int payloadLength() {
        return payloadLength;
    }

    /** Headers for {@code m}'s addresses, ports and payload; see {@link #synthesize(int, int, byte[], byte[], int, int, byte[], int, int)}. */
    public int synthesize(Message m) {
        return synthesize(
                m.ipVersion(),
                m.ipProtocol(),
                m.srcAddr(),
                m.dstAddr(),
                m.srcPort(),
                m.dstPort(),
                m.payload(),
                m.payloadOffset(),
                m.payloadLength());
    }

    /**
     * Builds the headers of one frame carrying {@code length} bytes of {@code payload} from
     * {@code offset}, and returns their length.
     *
     * @param ipVersion 4 or 6 (anything else is written as IPv4 from 0.0.0.0 to 0.0.0.0)
     * @param ipProtocol {@link Message#IP_PROTO_TCP} for TCP; anything else becomes UDP
     * @param src the source address: its first 4 (IPv4) or 16 (IPv6) bytes
     */
    public int synthesize(
            int ipVersion,
            int ipProtocol,
            byte[] src,
            byte[] dst,
            int srcPort,
            int dstPort,
            byte[] payload,
            int offset,
            int length) {
        boolean v6 = ipVersion == 6;
        boolean tcp = ipProtocol == Message.IP_PROTO_TCP;
        int ipBytes = v6 ? IPV6_BYTES : IPV4_BYTES;
        int l4Bytes = tcp ? TCP_BYTES : UDP_BYTES;
        // IPv4 total length and the IPv6/UDP length fields are 16 bits
        int room = 0xffff - l4Bytes - (v6 ? 0 : IPV4_BYTES);
        int n = Math.max(0, Math.min(length, room));
        payloadLength = n;

        int at = 0;
        // Ethernet: destination, source, EtherType
        for (int i = 0; i < 12; i++) head[i] = 0;
        head[0] = 0x02;
        head[5] = 0x02;
        head[6] = 0x02;
        head[11] = 0x01;
        putShort(head, 12, v6 ? 0x86dd : 0x0800);
        at = ETHERNET_BYTES;

        int ipAt = at;
        int protocol = tcp ? Message.IP_PROTO_TCP : Message.IP_PROTO_UDP;
        int addrLength = v6 ? 16 : 4;
        int srcAt;
        int dstAt;
        if (v6) {
            putInt(head, at, 0x6000_0000);
            putShort(head, at + 4, l4Bytes + n);
            head[at + 6] = (byte) protocol;
            head[at + 7] = 64;
            srcAt = at + 8;
            dstAt = at + 24;
        } else {
            head[at] = 0x45;
            head[at + 1] = 0;
            putShort(head, at + 2, IPV4_BYTES + l4Bytes + n);
            putShort(head, at + 4, 0); // identification
            putShort(head, at + 6, 0x4000); // don't fragment
            head[at + 8] = 64;
            head[at + 9] = (byte) protocol;
            putShort(head, at + 10, 0);
            srcAt = at + 12;
            dstAt = at + 16;
        }
        boolean addressed = ipVersion == 4 || v6;
        for (int i = 0; i < addrLength; i++) {
            head[srcAt + i] = addressed ? src[i] : 0;
            head[dstAt + i] = addressed ? dst[i] : 0;
        }
        if (!v6) putShort(head, ipAt + 10, ~sum(head, ipAt, IPV4_BYTES, 0) & 0xffff);
        at = ipAt + ipBytes;

        int l4At = at;
        putShort(head, at, srcPort);
        putShort(head, at + 2, dstPort);
        if (tcp) {
            long seq = takeSequence(head, srcAt, dstAt, addrLength, srcPort, dstPort, n);
            putInt(head, at + 4, (int) seq);
            putInt(head, at + 8, 0); // acknowledgement: unknown; the ACK flag keeps dissectors calm
            head[at + 12] = (byte) (5 << 4);
            head[at + 13] = 0x18; // PSH ACK
            putShort(head, at + 14, 0xffff);
            putShort(head, at + 16, 0);
            putShort(head, at + 18, 0);
        } else {
            putShort(head, at + 4, UDP_BYTES + n);
            putShort(head, at + 6, 0);
        }
        at += l4Bytes;
        headLength = at;

        // the pseudo-header sum: addresses, protocol, upper-layer length
        int l4Length = l4Bytes + n;
        int pseudo = sum(head, srcAt, addrLength, 0);
        pseudo = sum(head, dstAt, addrLength, pseudo);
        pseudo += protocol + l4Length;
        int s = sum(head, l4At, l4Bytes, pseudo);
        s = sum(payload, offset, n, s);
        int checksum = ~s & 0xffff;
        if (!tcp && checksum == 0) checksum = 0xffff; // UDP: 0 means "no checksum"
        putShort(head, l4At + (tcp ? 16 : 6), checksum);
        return headLength;
    }

    /** The sequence number of this segment's first byte; the flow's next one moves past it. */
    private long takeSequence(byte[] b, int srcAt, int dstAt, int addrLength, int srcPort, int dstPort, int n) {
        FlowKey key = FlowKey.of(b, srcAt, dstAt, addrLength, srcPort, dstPort);
        long[] next = nextSequence.computeIfAbsent(key, k -> new long[] {1});
        long seq = next[0];
        next[0] = (seq + n) & 0xffff_ffffL;
        return seq;
    }

    /** Ones'-complement sum of 16-bit words, carried on from {@code start}, folded to 16 bits. */
    private static int sum(byte[] b, int offset, int length, int start) {
        long s = start & 0xffff_ffffL;
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        if (i < end) s += (b[i] & 0xff) << 8;
        while ((s >>> 16) != 0) s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** One direction of a TCP flow: addresses and ports. */
    private record FlowKey(long srcHigh, long srcLow, long dstHigh, long dstLow, int ports) {
        static FlowKey of(byte[] b, int srcAt, int dstAt, int addrLength, int srcPort, int dstPort) {
            return new FlowKey(
                    word(b, srcAt, addrLength, 0),
                    word(b, srcAt, addrLength, 8),
                    word(b, dstAt, addrLength, 0),
                    word(b, dstAt, addrLength, 8),
                    (srcPort << 16) | dstPort);
        }

        private static long word(byte[] b, int at, int addrLength, int from) {
            long w = 0;
            for (int i = from; i < from + 8 && i < addrLength; i++) w = (w << 8) | (b[at + i] & 0xff);
            return w;
        }
    }
}
