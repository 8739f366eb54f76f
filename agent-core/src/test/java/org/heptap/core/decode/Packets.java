package org.heptap.core.decode;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.heptap.core.capture.Frame;

/** Hand-built packet bytes for decoder tests: each layer wraps the bytes of the one inside. */
final class Packets {
    private Packets() {}

    static final String A4 = "192.0.2.10";
    static final String B4 = "192.0.2.20";
    static final String A6 = "2001:db8::10";
    static final String B6 = "2001:db8::20";

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] addr(String ip) {
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    // ---------------------------------------------------------------- link layers

    static byte[] ether(int etherType, byte[] inner) {
        return concat(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}, u16(etherType), inner);
    }

    /** Ethernet with tags: {@code etherTagged(0x0800, ip, 0x88a8, 200, 0x8100, 100)}, outermost first. */
    static byte[] etherTagged(int etherType, byte[] inner, int... tpidVid) {
        byte[] body = inner;
        int type = etherType;
        for (int i = tpidVid.length - 2; i >= 0; i -= 2) {
            body = concat(u16(0x6000 | tpidVid[i + 1]), u16(type), body);
            type = tpidVid[i];
        }
        return ether(type, body);
    }

    static byte[] sll(int protocol, byte[] inner) {
        // packet type 0 (to us), ARPHRD_ETHER, 6-byte address padded to 8, protocol
        return concat(u16(0), u16(1), u16(6), new byte[] {2, 0, 0, 0, 0, 1, 0, 0}, u16(protocol), inner);
    }

    static byte[] sll2(int protocol, byte[] inner) {
        // protocol, reserved, ifindex, ARPHRD_ETHER, packet type, address length, address
        return concat(
                u16(protocol),
                u16(0),
                new byte[] {0, 0, 0, 2},
                u16(1),
                new byte[] {0, 6},
                new byte[] {2, 0, 0, 0, 0, 1, 0, 0},
                inner);
    }

    /** BSD loopback header: address family as a 32-bit value in the given byte order. */
    static byte[] nullHeader(int family, boolean littleEndian, byte[] inner) {
        byte[] h = littleEndian ? new byte[] {(byte) family, 0, 0, 0} : new byte[] {0, 0, 0, (byte) family};
        return concat(h, inner);
    }

    // ---------------------------------------------------------------- IP

    static byte[] ipv4(String src, String dst, int protocol, byte[] inner) {
        byte[] h = new byte[20];
        h[0] = 0x45;
        int total = 20 + inner.length;
        h[2] = (byte) (total >> 8);
        h[3] = (byte) total;
        h[4] = 0x12;
        h[5] = 0x34;
        h[6] = 0x40; // don't fragment
        h[8] = 64;
        h[9] = (byte) protocol;
        System.arraycopy(addr(src), 0, h, 12, 4);
        System.arraycopy(addr(dst), 0, h, 16, 4);
        return concat(h, inner);
    }

    /** IPv4 header with options: IHL 5 + words; options are NOPs. */
    static byte[] ipv4WithOptions(String src, String dst, int protocol, int optionWords, byte[] inner) {
        byte[] plain = ipv4(src, dst, protocol, new byte[0]);
        byte[] opts = new byte[optionWords * 4];
        java.util.Arrays.fill(opts, (byte) 1);
        byte[] p = concat(plain, opts, inner);
        p[0] = (byte) (0x40 | (5 + optionWords));
        int total = p.length;
        p[2] = (byte) (total >> 8);
        p[3] = (byte) total;
        return p;
    }

    /** Sets the IPv4 flags/fragment offset field (offset in 8-byte units). */
    static byte[] fragment(byte[] ipv4, boolean moreFragments, int offsetUnits) {
        byte[] p = ipv4.clone();
        int v = (moreFragments ? 0x2000 : 0) | offsetUnits;
        p[6] = (byte) (v >> 8);
        p[7] = (byte) v;
        return p;
    }

    static byte[] ipv6(String src, String dst, int nextHeader, byte[] inner) {
        byte[] h = new byte[40];
        h[0] = 0x60;
        h[4] = (byte) (inner.length >> 8);
        h[5] = (byte) inner.length;
        h[6] = (byte) nextHeader;
        h[7] = 64;
        System.arraycopy(addr(src), 0, h, 8, 16);
        System.arraycopy(addr(dst), 0, h, 24, 16);
        return concat(h, inner);
    }

    /** Hop-by-hop / routing / destination options header of (units + 1) * 8 bytes. */
    static byte[] extension(int nextHeader, int units, byte[] inner) {
        byte[] h = new byte[(units + 1) * 8];
        h[0] = (byte) nextHeader;
        h[1] = (byte) units;
        if (h.length > 2) h[2] = 1; // PadN
        return concat(h, inner);
    }

    /** Authentication header: (payloadLen + 2) * 4 bytes. */
    static byte[] authentication(int nextHeader, int payloadLen, byte[] inner) {
        byte[] h = new byte[(payloadLen + 2) * 4];
        h[0] = (byte) nextHeader;
        h[1] = (byte) payloadLen;
        return concat(h, inner);
    }

    static byte[] fragmentHeader(int nextHeader, int offsetUnits, boolean more, byte[] inner) {
        int v = (offsetUnits << 3) | (more ? 1 : 0);
        return concat(new byte[] {(byte) nextHeader, 0, (byte) (v >> 8), (byte) v, 0, 0, 0x12, 0x34}, inner);
    }

    // ---------------------------------------------------------------- transport

    static byte[] udp(int sport, int dport, byte[] payload) {
        return udpWithLength(sport, dport, 8 + payload.length, payload);
    }

    static byte[] udpWithLength(int sport, int dport, int lengthField, byte[] payload) {
        return concat(u16(sport), u16(dport), u16(lengthField), u16(0), payload);
    }

    /** TCP with {@code optionWords} 32-bit words of options (NOPs); data offset field as given. */
    static byte[] tcp(int sport, int dport, int dataOffsetWords, int optionWords, byte[] payload) {
        byte[] h = new byte[20 + optionWords * 4];
        h[0] = (byte) (sport >> 8);
        h[1] = (byte) sport;
        h[2] = (byte) (dport >> 8);
        h[3] = (byte) dport;
        h[7] = 1;
        h[11] = 1;
        h[12] = (byte) (dataOffsetWords << 4);
        h[13] = 0x18; // PSH ACK
        h[14] = (byte) 0xff;
        for (int i = 20; i < h.length; i++) h[i] = 1;
        return concat(h, payload);
    }

    static byte[] tcp(int sport, int dport, byte[] payload) {
        return tcp(sport, dport, 5, 0, payload);
    }

    // ---------------------------------------------------------------- frames

    /** Where {@link #frame} puts a frame's first byte in the array it lends. */
    static final int LENT_AT = 3;

    /**
     * A frame whose buffer ends where the bytes end: any read past the end throws. It starts at
     * {@link #LENT_AT}, after bytes that are not the frame's, as frames read in place from a
     * capture file's window do.
     */
    static Frame frame(int linkType, byte[] bytes) {
        Frame f = new Frame();
        // lent in place, as a capture file's frames are: after bytes that are not the frame's
        byte[] lent = new byte[LENT_AT + bytes.length];
        Arrays.fill(lent, 0, LENT_AT, (byte) 0xEE);
        System.arraycopy(bytes, 0, lent, LENT_AT, bytes.length);
        f.view(lent, LENT_AT, bytes.length);
        f.wireLength = bytes.length;
        f.linkType = linkType;
        f.timestampMicros = 1_700_000_000_123_456L;
        return f;
    }

    /** The first {@code caplen} bytes only, as a snaplen cut would leave them. */
    static Frame cut(int linkType, byte[] bytes, int caplen) {
        Frame f = frame(linkType, java.util.Arrays.copyOf(bytes, caplen));
        f.wireLength = bytes.length;
        return f;
    }
}
