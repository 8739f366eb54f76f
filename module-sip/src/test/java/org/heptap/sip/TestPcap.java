package org.heptap.sip;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test-only reader for classic pcap files: Ethernet (with 802.1Q/802.1ad tags), Linux cooked
 * v1/v2 and raw IP link types, IPv4/IPv6 (unfragmented; IPv6 hop-by-hop, routing and
 * destination options skipped), UDP. Just enough to get UDP payloads out of the corpus; the
 * production decoder lives in agent-core.
 */
final class TestPcap {
    private TestPcap() {}

    /** One captured frame: its 1-based number, bytes, and UDP payload (null when none). */
    record Frame(int number, byte[] data, byte[] udpPayload) {}

    static List<Frame> read(Path file) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        int magic = in.order(ByteOrder.BIG_ENDIAN).getInt(0);
        switch (magic) {
            case 0xa1b2c3d4, 0xa1b23c4d -> in.order(ByteOrder.BIG_ENDIAN);
            case 0xd4c3b2a1, 0x4d3cb2a1 -> in.order(ByteOrder.LITTLE_ENDIAN);
            default -> throw new IOException(file + ": not a classic pcap file");
        }
        int linkType = in.getInt(20) & 0x0fffffff;
        List<Frame> frames = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= in.limit()) {
            int incl = in.getInt(pos + 8);
            if (incl < 0 || pos + 16 + incl > in.limit()) break;
            byte[] data = Arrays.copyOfRange(in.array(), pos + 16, pos + 16 + incl);
            frames.add(new Frame(frames.size() + 1, data, udp(linkType, data)));
            pos += 16 + incl;
        }
        return frames;
    }

    private static byte[] udp(int linkType, byte[] f) {
        int off;
        int etherType;
        switch (linkType) {
            case 1 -> {
                if (f.length < 14) return null;
                off = 12;
                etherType = u16(f, off);
                while ((etherType == 0x8100 || etherType == 0x88a8 || etherType == 0x9100) && off + 6 <= f.length) {
                    off += 4;
                    etherType = u16(f, off);
                }
                off += 2;
            }
            case 113 -> {
                if (f.length < 16) return null;
                etherType = u16(f, 14);
                off = 16;
            }
            case 276 -> {
                if (f.length < 20) return null;
                etherType = u16(f, 0);
                off = 20;
            }
            case 101, 12, 14 -> {
                if (f.length < 1) return null;
                etherType = (f[0] >> 4) == 6 ? 0x86dd : 0x0800;
                off = 0;
            }
            default -> {
                return null;
            }
        }
        if (etherType == 0x0800) return ipv4(f, off);
        if (etherType == 0x86dd) return ipv6(f, off);
        return null;
    }

    private static byte[] ipv4(byte[] f, int off) {
        if (off + 20 > f.length || (f[off] >> 4 & 0xf) != 4) return null;
        int ihl = (f[off] & 0xf) * 4;
        int total = u16(f, off + 2);
        if (ihl < 20 || total < ihl || off + ihl > f.length) return null;
        int flagsFrag = u16(f, off + 6);
        if ((flagsFrag & 0x3fff) != 0) return null; // fragment: not reassembled here
        if ((f[off + 9] & 0xff) != 17) return null;
        int end = Math.min(f.length, off + total);
        return udpPayload(f, off + ihl, end);
    }

    private static byte[] ipv6(byte[] f, int off) {
        if (off + 40 > f.length) return null;
        int next = f[off + 6] & 0xff;
        int end = Math.min(f.length, off + 40 + u16(f, off + 4));
        int p = off + 40;
        while (next == 0 || next == 43 || next == 60) {
            if (p + 8 > end) return null;
            next = f[p] & 0xff;
            p += ((f[p + 1] & 0xff) + 1) * 8;
        }
        return next == 17 ? udpPayload(f, p, end) : null;
    }

    private static byte[] udpPayload(byte[] f, int off, int end) {
        if (off + 8 > end) return null;
        int len = u16(f, off + 4);
        if (len < 8) return null;
        int stop = Math.min(end, off + len);
        return Arrays.copyOfRange(f, off + 8, stop);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }
}
