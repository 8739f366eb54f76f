package org.heptap.hep.codec;

import static org.heptap.hep.codec.HepChunks.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.heptap.hep.codec.HepDecodeResult.Status;

/**
 * Decodes one HEP packet (v1, v2 or v3) from a datagram or a framed stream record. Unknown
 * chunks are skipped by their length; every length is checked before it is trusted; a compressed
 * payload (chunk 0x0010) is inflated whether it is a zlib stream (captagent) or gzip, up to a
 * limit so a small packet cannot inflate into an unbounded buffer.
 *
 * <p>Used by the tests and the future relay mode, not on the capture path: it copies freely.
 * Not thread-safe (the {@link Inflater} is reused).
 */
public final class HepDecoder implements AutoCloseable {
    /** Default cap on an inflated payload. */
    public static final int DEFAULT_MAX_INFLATED = 1 << 20;

    private final int maxInflated;
    private final Inflater inflater = new Inflater();
    private final byte[] inflateChunk = new byte[8192];
    /** The inflate limit of the packet being decoded; -1 when it is the decoder's own. */
    private int packetLimit = -1;
    /** Bytes inflated while decoding the last packet, also when it was refused. */
    private int lastInflated;
    /** Whether the last inflate stopped at its limit (rather than at broken data). */
    private boolean overLimit;

    public HepDecoder() {
        this(DEFAULT_MAX_INFLATED);
    }

    public HepDecoder(int maxInflated) {
        this.maxInflated = maxInflated;
    }

    /** Decodes the readable bytes of {@code buf} without moving its reader index. */
    public HepDecodeResult decode(ByteBuf buf) {
        return decode(ByteBufUtil.getBytes(buf, buf.readerIndex(), buf.readableBytes(), false));
    }

    public HepDecodeResult decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    public HepDecodeResult decode(byte[] b, int off, int len) {
        return decode(b, off, len, -1);
    }

    /**
     * Decodes with a compressed payload allowed to inflate to at most {@code inflateLimit} bytes
     * (a caller's budget, below the decoder's own limit): past it, the packet fails with
     * {@link Status#INFLATE_LIMIT} after at most that much work; 0 refuses a compressed payload
     * without inflating any of it. {@link #lastInflated()} tells what the inflating cost.
     */
    public HepDecodeResult decode(byte[] b, int off, int len, int inflateLimit) {
        packetLimit = inflateLimit;
        lastInflated = 0;
        try {
            return decodeAny(b, off, len);
        } finally {
            packetLimit = -1;
        }
    }

    /** Bytes inflated while decoding the last packet (0 when it had no compressed payload), also when it was refused. */
    public int lastInflated() {
        return lastInflated;
    }

    private HepDecodeResult decodeAny(byte[] b, int off, int len) {
        if (len < 6) return HepDecodeResult.fail(Status.TRUNCATED, len + " bytes, a HEP header needs at least 6");
        int magic = u32(b, off);
        if (magic == MAGIC_HEP3 || magic == MAGIC_EEP3) return decode3(b, off, len);
        if (b[off] == 1 || b[off] == 2) return decode12(b, off, len);
        return HepDecodeResult.fail(Status.NOT_HEP, String.format("starts with %08x", magic));
    }

    @Override
    public void close() {
        inflater.end();
    }

    // ---- v1 / v2 ---------------------------------------------------------------------------

    private HepDecodeResult decode12(byte[] b, int off, int len) {
        int version = b[off];
        int hpl = b[off + 1] & 0xff;
        int family = b[off + 2] & 0xff;
        int ipVersion = ipVersionOf(family);
        if (ipVersion == 0) return HepDecodeResult.fail(Status.BAD_FAMILY, "address family " + family);
        int expected = ipVersion == 6 ? 40 : 16;
        if (hpl != expected) {
            return HepDecodeResult.fail(
                    Status.BAD_LENGTH, "header length " + hpl + ", IPv" + ipVersion + " needs " + expected);
        }
        int head = hpl + (version == 2 ? 12 : 0);
        if (len < head)
            return HepDecodeResult.fail(Status.TRUNCATED, len + " bytes, the v" + version + " header needs " + head);
        int n = ipVersion == 6 ? 16 : 4;
        byte[] src = Arrays.copyOfRange(b, off + 8, off + 8 + n);
        byte[] dst = Arrays.copyOfRange(b, off + 8 + n, off + 8 + 2 * n);
        long secs = 0, usecs = 0, captureId = 0;
        if (version == 2) {
            // host byte order of a little-endian sender, as captagent writes it (wire format §2.1)
            int t = off + hpl;
            secs = u32le(b, t) & 0xffffffffL;
            usecs = u32le(b, t + 4) & 0xffffffffL;
            captureId = (b[t + 8] & 0xff) | (b[t + 9] & 0xff) << 8;
        }
        HepPacket p = new HepPacket(
                version,
                family,
                ipVersion,
                b[off + 3] & 0xff,
                src,
                dst,
                u16(b, off + 4),
                u16(b, off + 6),
                secs,
                usecs,
                -1,
                captureId,
                null,
                null,
                null,
                null,
                -1,
                Arrays.copyOfRange(b, off + head, off + len),
                false,
                List.of());
        return HepDecodeResult.ok(p, len);
    }

    // ---- v3 --------------------------------------------------------------------------------

    private HepDecodeResult decode3(byte[] b, int off, int len) {
        int total = u16(b, off + 4);
        if (total < PACKET_HEADER) return HepDecodeResult.fail(Status.BAD_LENGTH, "total length " + total + " < 6");
        if (total > len)
            return HepDecodeResult.fail(Status.TRUNCATED, "total length " + total + " but only " + len + " bytes");
        int end = off + total;
        int family = -1, ipProtocol = 0, srcPort = 0, dstPort = 0, protocolType = -1, vlan = -1;
        long secs = 0, usecs = 0, captureId = 0;
        byte[] src4 = null, dst4 = null, src6 = null, dst6 = null, payload = null;
        boolean compressed = false;
        String password = null, correlation = null, tags = null, nodeName = null;
        List<Integer> chunks = new ArrayList<>();
        int p = off + PACKET_HEADER;
        while (p < end) {
            if (end - p < CHUNK_HEADER) {
                return HepDecodeResult.fail(Status.BAD_CHUNK, (end - p) + " stray bytes at offset " + (p - off));
            }
            int vendor = u16(b, p), type = u16(b, p + 2), clen = u16(b, p + 4);
            if (clen < CHUNK_HEADER || p + clen > end) {
                return HepDecodeResult.fail(
                        Status.BAD_CHUNK,
                        String.format(
                                "chunk %04x:%04x at offset %d has length %d (%d bytes left)",
                                vendor, type, p - off, clen, end - p));
            }
            int v = p + CHUNK_HEADER, vlen = clen - CHUNK_HEADER;
            chunks.add(vendor << 16 | type);
            if (vendor == 0) {
                int want = valueSize(type);
                if (want >= 0 && vlen != want) {
                    return HepDecodeResult.fail(
                            Status.BAD_CHUNK,
                            String.format(
                                    "chunk %04x at offset %d has a %d-byte value, expected %d",
                                    type, p - off, vlen, want));
                }
                switch (type) {
                    case IP_FAMILY -> family = b[v] & 0xff;
                    case IP_PROTOCOL -> ipProtocol = b[v] & 0xff;
                    case IPV4_SRC -> src4 = Arrays.copyOfRange(b, v, v + 4);
                    case IPV4_DST -> dst4 = Arrays.copyOfRange(b, v, v + 4);
                    case IPV6_SRC -> src6 = Arrays.copyOfRange(b, v, v + 16);
                    case IPV6_DST -> dst6 = Arrays.copyOfRange(b, v, v + 16);
                    case SRC_PORT -> srcPort = u16(b, v);
                    case DST_PORT -> dstPort = u16(b, v);
                    case TIME_SECONDS -> secs = u32(b, v) & 0xffffffffL;
                    case TIME_MICROS -> usecs = u32(b, v) & 0xffffffffL;
                    case PROTOCOL_TYPE -> protocolType = b[v] & 0xff;
                    case CAPTURE_ID -> captureId = u32(b, v) & 0xffffffffL;
                    case AUTH_KEY -> password = text(b, v, vlen);
                    case CORRELATION_ID -> correlation = text(b, v, vlen);
                    case TAGS -> tags = text(b, v, vlen);
                    case NODE_NAME -> nodeName = text(b, v, vlen);
                    case VLAN -> vlan = u16(b, v);
                    case PAYLOAD -> {
                        payload = Arrays.copyOfRange(b, v, v + vlen);
                        compressed = false;
                    }
                    case COMPRESSED_PAYLOAD -> {
                        int limit = packetLimit >= 0 ? Math.min(packetLimit, maxInflated) : maxInflated;
                        payload = inflate(b, v, vlen, limit);
                        if (payload == null && overLimit && limit < maxInflated) {
                            return HepDecodeResult.fail(
                                    Status.INFLATE_LIMIT,
                                    "chunk 0010 at offset " + (p - off) + " inflates past " + limit + " bytes");
                        }
                        if (payload == null) {
                            return HepDecodeResult.fail(
                                    Status.BAD_COMPRESSED_PAYLOAD,
                                    "chunk 0010 at offset " + (p - off) + " is not a zlib/gzip stream of at most "
                                            + maxInflated + " bytes");
                        }
                        compressed = true;
                    }
                    default -> {} // reserved or not needed here: skipped by length
                }
            }
            p += clen;
        }
        boolean v6 = src6 != null
                || dst6 != null
                || (family >= 0 && ipVersionOf(family) == 6 && src4 == null && dst4 == null);
        if (family >= 0 && ipVersionOf(family) == 0)
            return HepDecodeResult.fail(Status.BAD_FAMILY, "address family " + family);
        byte[] src = v6 ? orZero(src6, 16) : orZero(src4, 4);
        byte[] dst = v6 ? orZero(dst6, 16) : orZero(dst4, 4);
        HepPacket packet = new HepPacket(
                3,
                family < 0 ? 0 : family,
                v6 ? 6 : 4,
                ipProtocol,
                src,
                dst,
                srcPort,
                dstPort,
                secs,
                usecs,
                protocolType,
                captureId,
                password,
                correlation,
                tags,
                nodeName,
                vlan,
                payload == null ? new byte[0] : payload,
                compressed,
                List.copyOf(chunks));
        return HepDecodeResult.ok(packet, total);
    }

    /** Value size of a fixed-size generic chunk, or -1 for variable-length and unknown ones. */
    private static int valueSize(int type) {
        return switch (type) {
            case IP_FAMILY, IP_PROTOCOL, PROTOCOL_TYPE -> 1;
            case SRC_PORT, DST_PORT, VLAN, KEEP_ALIVE -> 2;
            case IPV4_SRC, IPV4_DST, TIME_SECONDS, TIME_MICROS, CAPTURE_ID -> 4;
            case IPV6_SRC, IPV6_DST -> 16;
            default -> -1;
        };
    }

    /**
     * zlib (captagent) or gzip; null when neither or larger than {@code limit} ({@link #overLimit}
     * set). Never inflates more than {@code limit} + one chunk: a bomb costs what it is allowed.
     */
    private byte[] inflate(byte[] b, int off, int len, int limit) {
        overLimit = false;
        if (limit <= 0) {
            overLimit = true;
            return null;
        }
        if (len >= 2 && (b[off] & 0xff) == 0x1f && (b[off + 1] & 0xff) == 0x8b) return gunzip(b, off, len, limit);
        if (len < 2 || (b[off] & 0x0f) != 8 || (((b[off] & 0xff) << 8) | (b[off + 1] & 0xff)) % 31 != 0) return null;
        inflater.reset();
        inflater.setInput(b, off, len);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, Math.max(64, len * 4)));
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(inflateChunk, 0, Math.min(inflateChunk.length, limit - out.size() + 1));
                lastInflated += n;
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null; // truncated stream, or one that wants a preset dictionary
                }
                if (out.size() + n > limit) {
                    overLimit = true;
                    return null;
                }
                out.write(inflateChunk, 0, n);
            }
        } catch (DataFormatException e) {
            return null;
        }
        return out.toByteArray();
    }

    private byte[] gunzip(byte[] b, int off, int len, int limit) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b, off, len))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int n; (n = in.read(inflateChunk, 0, Math.min(inflateChunk.length, limit - out.size() + 1))) > 0; ) {
                lastInflated += n;
                if (out.size() + n > limit) {
                    overLimit = true;
                    return null;
                }
                out.write(inflateChunk, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            return null;
        }
    }

    /** 4 for AF_INET; 6 for AF_INET6 as numbered by Linux (10), the BSDs (24, 28) and macOS (30); else 0. */
    private static int ipVersionOf(int family) {
        return switch (family) {
            case AF_INET -> 4;
            case AF_INET6, 24, 28, 30 -> 6;
            default -> 0;
        };
    }

    private static byte[] orZero(byte[] a, int n) {
        return a != null ? a : new byte[n];
    }

    private static String text(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static int u32(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    private static int u32le(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }
}
