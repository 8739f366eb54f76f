package org.heptap.hep.codec;

import static org.heptap.hep.codec.HepChunks.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import org.heptap.core.message.Message;
import org.heptap.transport.DirectCopy;
import org.heptap.transport.MessageEncoder;

/**
 * Turns a {@link Message} into one HEP packet (v1, v2 or v3) in a buffer from the caller's
 * allocator. The chunk order is captagent's (hep-wire-format.md §3.7), so packets compare
 * byte for byte with the reference agent; heptap's extensions (node name, VLAN) come after the
 * captagent chunks and before the payload, which always stays last; so do the numbers a module
 * attached with {@link Message#addNumber} (key = chunk type, e.g. 0x0020 MOS), as uint16 chunks.
 *
 * <p>The payload is copied once, straight from the message into the buffer; with compression it
 * is deflated into a reused scratch array and the (smaller) result copied in. The message is
 * never modified. A packet larger than {@link #maxLength()} is not
 * produced: {@link #encode} returns null and the caller counts it.
 *
 * <p>A message without an IP layer ({@code ipVersion() == 0}) is sent as IPv4 with zero
 * addresses. v1/v2 have no protocol type, correlation id, tags or password: those are not sent.
 *
 * <p>Not thread-safe when compressing (the {@link Deflater} is reused from packet to packet);
 * without compression an encoder holds no mutable state and may be shared.
 */
public final class HepEncoder implements MessageEncoder {
    /** Fixed part of every v3 packet: header plus the eight always-present chunks (§3.7). */
    static final int V3_FIXED = PACKET_HEADER + 7 + 7 + 8 + 8 + 10 + 10 + 7 + 10;

    private final HepSettings settings;
    private final int maxLength;
    private final byte[] password;
    private final byte[] nodeName;
    private final Deflater deflater;
    /** Compressed payload before it is known to fit; only with compression. */
    private final byte[] scratch;
    /** HEP3 without compression: a packet over 65535 bytes goes with its payload compressed. */
    private final boolean compressOversize;

    /** An encoder bounded only by the format (65535 bytes for v3). */
    public HepEncoder(HepSettings settings) {
        this(settings, MAX_HEP3_LENGTH);
    }

    /**
     * @param maxLength largest packet to produce, e.g. 65507 for a UDP datagram over IPv4; for
     *                  v3 it is capped at 65535 because the length field is 16 bits
     */
    public HepEncoder(HepSettings settings, int maxLength) {
        this(settings, maxLength, false);
    }

    /**
     * @param compressOversize v3 over a stream: a message whose packet would pass 65535 bytes
     *     (the 16-bit length) is sent with its payload compressed (chunk 0x0010) when that fits,
     *     rather than not at all; SIP text shrinks four- to tenfold
     */
    public HepEncoder(HepSettings settings, int maxLength, boolean compressOversize) {
        if (maxLength < 64) throw new IllegalArgumentException("maxLength too small: " + maxLength);
        this.settings = settings;
        this.maxLength = settings.version() == 3 ? Math.min(maxLength, MAX_HEP3_LENGTH) : maxLength;
        this.password = settings.password() == null ? null : settings.password().getBytes(StandardCharsets.UTF_8);
        this.nodeName =
                settings.nodeName() == null ? new byte[0] : settings.nodeName().getBytes(StandardCharsets.UTF_8);
        // Default level and zlib framing: the same stream zlib's compress() makes for captagent.
        this.deflater = settings.compress() ? new Deflater() : null;
        this.scratch = settings.compress() ? new byte[MAX_HEP3_LENGTH + 1] : null;
        this.compressOversize = compressOversize && settings.version() == 3 && !settings.compress();
    }

    public HepSettings settings() {
        return settings;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    /**
     * Encodes the message. Returns a buffer holding exactly one packet (the caller owns it), or
     * null when the packet would be longer than {@link #maxLength()}.
     */
    @Override
    public ByteBuf encode(Message m, ByteBufAllocator alloc) {
        return settings.version() == 3 ? encode3(m, alloc) : encode12(m, alloc);
    }

    /**
     * Size of the packet {@link #encode} would produce; for a compressed profile, the size with
     * the payload uncompressed (the compressed size is only known after deflating).
     */
    @Override
    public long encodedLength(Message m) {
        if (settings.version() != 3) return headLength12(m) + (long) m.payloadLength();
        return headLength3(m) + CHUNK_HEADER + (long) m.payloadLength();
    }

    /** A HEP3 packet over 65535 bytes goes out with its payload compressed: the collector must inflate it. */
    @Override
    public String largeRecordNote(Message m) {
        long length = encodedLength(m);
        if (settings.version() != 3 || length <= MAX_HEP3_LENGTH) return null;
        return "a " + length
                + "-byte message is larger than a HEP3 packet (65535 bytes): sent with its payload compressed (chunk 0x0010), which the collector must inflate";
    }

    @Override
    public void close() {
        if (deflater != null) deflater.end();
    }

    // ---- HEP v1 / v2 -----------------------------------------------------------------------

    /** hp_l (8 + addresses) plus, for v2, the 12-byte time block that hp_l does not count. */
    private int headLength12(Message m) {
        return (m.ipVersion() == 6 ? 40 : 16) + (settings.version() == 2 ? 12 : 0);
    }

    private ByteBuf encode12(Message m, ByteBufAllocator alloc) {
        boolean v6 = m.ipVersion() == 6;
        int hpl = v6 ? 40 : 16;
        long total = (long) headLength12(m) + m.payloadLength();
        if (total > maxLength) return null;
        ByteBuf buf = alloc.ioBuffer((int) total);
        buf.writeByte(settings.version());
        buf.writeByte(hpl);
        buf.writeByte(v6 ? AF_INET6 : AF_INET);
        buf.writeByte(m.ipProtocol());
        buf.writeShort(m.srcPort());
        buf.writeShort(m.dstPort());
        int n = v6 ? 16 : 4;
        buf.writeBytes(m.srcAddr(), 0, n);
        buf.writeBytes(m.dstAddr(), 0, n);
        if (settings.version() == 2) {
            // captagent copies a C struct {u32 sec; u32 usec; u16 id;} unswapped: little-endian on
            // x86, which is what Wireshark and the collectors decode; the 2 pad bytes are zeroed.
            buf.writeIntLE((int) seconds(m));
            buf.writeIntLE((int) micros(m));
            buf.writeShortLE((int) settings.captureId());
            buf.writeShort(0);
        }
        DirectCopy.writeBytes(buf, m.payload(), m.payloadOffset(), m.payloadLength());
        return buf;
    }

    // ---- HEP v3 ----------------------------------------------------------------------------

    /** Everything except the payload chunk. */
    private long headLength3(Message m) {
        long n = V3_FIXED + 2L * (CHUNK_HEADER + (m.ipVersion() == 6 ? 16 : 4));
        if (password != null) n += CHUNK_HEADER + password.length;
        if (m.hasCorrelationId()) n += CHUNK_HEADER + m.correlationLength();
        CharSequence tags = m.tags();
        if (tags.length() > 0) n += CHUNK_HEADER + ByteBufUtil.utf8Bytes(tags);
        if (nodeName.length > 0) n += CHUNK_HEADER + nodeName.length;
        if (m.vlan() >= 0) n += CHUNK_HEADER + 2;
        n += (CHUNK_HEADER + 2L) * m.numberCount();
        return n;
    }

    private ByteBuf encode3(Message m, ByteBufAllocator alloc) {
        long head = headLength3(m);
        int payloadLength = m.payloadLength();
        if (!settings.compress()) {
            long total = head + CHUNK_HEADER + payloadLength;
            if (total > maxLength) {
                if (!compressOversize) return null;
                // rare (a SIP message over 64 KB): a deflater of its own, so the encoder stays shareable
                Deflater once = new Deflater();
                try {
                    return encodeCompressed(
                            m,
                            alloc,
                            (int) Math.min(head, maxLength + 1L),
                            payloadLength,
                            once,
                            new byte[MAX_HEP3_LENGTH + 1]);
                } finally {
                    once.end();
                }
            }
            ByteBuf buf = alloc.ioBuffer((int) total);
            if (m.tags().length() == 0) {
                // the chunks before the payload go into the message's scratch array with plain
                // stores, then into the buffer with one copy: some forty ByteBuf calls (each with
                // its bounds, capacity and reference-count checks) become one
                int headLength = (int) head + CHUNK_HEADER;
                byte[] h = scratch(m, headLength);
                int n = writeHead3(h, m, (int) total);
                n = putChunkHeader(h, n, PAYLOAD, CHUNK_HEADER + payloadLength);
                DirectCopy.writeBytes(buf, h, 0, n);
            } else {
                writeHead3(buf, m, (int) total);
                writeChunkHeader(buf, PAYLOAD, CHUNK_HEADER + payloadLength);
            }
            DirectCopy.writeBytes(buf, m.payload(), m.payloadOffset(), payloadLength);
            return buf;
        }
        return encodeCompressed(m, alloc, (int) Math.min(head, maxLength + 1L), payloadLength, deflater, scratch);
    }

    private ByteBuf encodeCompressed(
            Message m, ByteBufAllocator alloc, int head, int payloadLength, Deflater deflater, byte[] scratch) {
        int room = maxLength - head - CHUNK_HEADER; // most compressed bytes that can still fit
        if (room < 0) return null;
        deflater.reset();
        deflater.setInput(m.payload(), m.payloadOffset(), payloadLength);
        deflater.finish();
        // Deflate into the reused scratch array first: the compressed size decides whether the
        // packet fits, and the pooled buffer is then allocated at its exact size (or not at all).
        int limit = room + 1; // one byte more than fits tells "too big" apart from "exactly full"
        int n = 0;
        while (!deflater.finished() && n < limit) {
            int k = deflater.deflate(scratch, n, limit - n);
            if (k == 0) break; // no progress with room left: never after finish(), but never spin
            n += k;
        }
        if (!deflater.finished() || n > room) return null;
        int total = head + CHUNK_HEADER + n;
        ByteBuf buf = alloc.ioBuffer(total);
        writeHead3(buf, m, total);
        writeChunkHeader(buf, COMPRESSED_PAYLOAD, CHUNK_HEADER + n);
        buf.writeBytes(scratch, 0, n);
        return buf;
    }

    /** Scratch for the chunks before the payload, kept with the (per-thread, reused) message. */
    private static final int SCRATCH_KEY = Message.newAttachmentKey();

    private static byte[] scratch(Message m, int length) {
        Object a = m.attachment(SCRATCH_KEY);
        if (a instanceof byte[] b && b.length >= length) return b;
        byte[] b = new byte[Math.max(length, 512)];
        m.attach(SCRATCH_KEY, b);
        return b;
    }

    /** {@link #writeHead3(ByteBuf, Message, int)} into an array (no tags chunk); returns the length. */
    private int writeHead3(byte[] h, Message m, int total) {
        int i = putInt(h, 0, MAGIC_HEP3);
        i = putShort(h, i, total);
        boolean v6 = m.ipVersion() == 6;
        i = putChunk8(h, i, IP_FAMILY, v6 ? AF_INET6 : AF_INET);
        i = putChunk8(h, i, IP_PROTOCOL, m.ipProtocol());
        i = putChunk16(h, i, SRC_PORT, m.srcPort());
        i = putChunk16(h, i, DST_PORT, m.dstPort());
        i = putChunk32(h, i, TIME_SECONDS, seconds(m));
        i = putChunk32(h, i, TIME_MICROS, micros(m));
        i = putChunk8(h, i, PROTOCOL_TYPE, m.protocolType());
        i = putChunk32(h, i, CAPTURE_ID, settings.captureId());
        int n = v6 ? 16 : 4;
        i = putChunkBytes(h, i, v6 ? IPV6_SRC : IPV4_SRC, m.srcAddr(), 0, n);
        i = putChunkBytes(h, i, v6 ? IPV6_DST : IPV4_DST, m.dstAddr(), 0, n);
        if (password != null) i = putChunkBytes(h, i, AUTH_KEY, password, 0, password.length);
        if (m.hasCorrelationId()) {
            i = putChunkBytes(
                    h, i, CORRELATION_ID, m.correlationBuffer(), m.correlationOffset(), m.correlationLength());
        }
        if (nodeName.length > 0) i = putChunkBytes(h, i, NODE_NAME, nodeName, 0, nodeName.length);
        if (m.vlan() >= 0) i = putChunk16(h, i, VLAN, m.vlan());
        for (int k = 0; k < m.numberCount(); k++) i = putChunk16(h, i, m.numberKey(k), m.numberValue(k));
        return i;
    }

    private static int putShort(byte[] h, int i, int v) {
        h[i] = (byte) (v >>> 8);
        h[i + 1] = (byte) v;
        return i + 2;
    }

    private static int putInt(byte[] h, int i, int v) {
        h[i] = (byte) (v >>> 24);
        h[i + 1] = (byte) (v >>> 16);
        h[i + 2] = (byte) (v >>> 8);
        h[i + 3] = (byte) v;
        return i + 4;
    }

    private static int putChunkHeader(byte[] h, int i, int type, int length) {
        h[i] = 0; // generic vendor
        h[i + 1] = 0;
        return putShort(h, putShort(h, i + 2, type), length);
    }

    private static int putChunk8(byte[] h, int i, int type, int value) {
        i = putChunkHeader(h, i, type, CHUNK_HEADER + 1);
        h[i] = (byte) value;
        return i + 1;
    }

    private static int putChunk16(byte[] h, int i, int type, int value) {
        return putShort(h, putChunkHeader(h, i, type, CHUNK_HEADER + 2), value);
    }

    private static int putChunk32(byte[] h, int i, int type, long value) {
        return putInt(h, putChunkHeader(h, i, type, CHUNK_HEADER + 4), (int) value);
    }

    private static int putChunkBytes(byte[] h, int i, int type, byte[] src, int off, int len) {
        i = putChunkHeader(h, i, type, CHUNK_HEADER + len);
        System.arraycopy(src, off, h, i, len);
        return i + len;
    }

    private void writeHead3(ByteBuf buf, Message m, int total) {
        buf.writeInt(MAGIC_HEP3);
        buf.writeShort(total);
        boolean v6 = m.ipVersion() == 6;
        chunk8(buf, IP_FAMILY, v6 ? AF_INET6 : AF_INET);
        chunk8(buf, IP_PROTOCOL, m.ipProtocol());
        chunk16(buf, SRC_PORT, m.srcPort());
        chunk16(buf, DST_PORT, m.dstPort());
        chunk32(buf, TIME_SECONDS, seconds(m));
        chunk32(buf, TIME_MICROS, micros(m));
        chunk8(buf, PROTOCOL_TYPE, m.protocolType());
        chunk32(buf, CAPTURE_ID, settings.captureId());
        int n = v6 ? 16 : 4;
        chunkBytes(buf, v6 ? IPV6_SRC : IPV4_SRC, m.srcAddr(), 0, n);
        chunkBytes(buf, v6 ? IPV6_DST : IPV4_DST, m.dstAddr(), 0, n);
        if (password != null) chunkBytes(buf, AUTH_KEY, password, 0, password.length);
        if (m.hasCorrelationId()) {
            chunkBytes(buf, CORRELATION_ID, m.correlationBuffer(), m.correlationOffset(), m.correlationLength());
        }
        CharSequence tags = m.tags();
        if (tags.length() > 0) {
            int at = buf.writerIndex();
            writeChunkHeader(buf, TAGS, 0);
            int len = ByteBufUtil.writeUtf8(buf, tags);
            buf.setShort(at + 4, CHUNK_HEADER + len);
        }
        if (nodeName.length > 0) chunkBytes(buf, NODE_NAME, nodeName, 0, nodeName.length);
        if (m.vlan() >= 0) chunk16(buf, VLAN, m.vlan());
        for (int k = 0; k < m.numberCount(); k++) chunk16(buf, m.numberKey(k), m.numberValue(k));
    }

    private static long seconds(Message m) {
        return Math.floorDiv(m.timestampMicros(), 1_000_000L);
    }

    private static long micros(Message m) {
        return Math.floorMod(m.timestampMicros(), 1_000_000L);
    }

    private static void writeChunkHeader(ByteBuf buf, int type, int length) {
        buf.writeShort(0); // generic vendor
        buf.writeShort(type);
        buf.writeShort(length);
    }

    private static void chunk8(ByteBuf buf, int type, int value) {
        writeChunkHeader(buf, type, CHUNK_HEADER + 1);
        buf.writeByte(value);
    }

    private static void chunk16(ByteBuf buf, int type, int value) {
        writeChunkHeader(buf, type, CHUNK_HEADER + 2);
        buf.writeShort(value);
    }

    private static void chunk32(ByteBuf buf, int type, long value) {
        writeChunkHeader(buf, type, CHUNK_HEADER + 4);
        buf.writeInt((int) value);
    }

    private static void chunkBytes(ByteBuf buf, int type, byte[] src, int off, int len) {
        writeChunkHeader(buf, type, CHUNK_HEADER + len);
        buf.writeBytes(src, off, len);
    }
}
