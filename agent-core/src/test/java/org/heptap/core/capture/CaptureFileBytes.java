package org.heptap.core.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds capture files byte by byte for tests: classic pcap and pcapng, either byte order. */
public final class CaptureFileBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order;

    private CaptureFileBytes(ByteOrder order) {
        this.order = order;
    }

    // ---------------------------------------------------------------- classic pcap

    /** A classic pcap file header: µs or ns magic, snaplen, link type field as written. */
    public static CaptureFileBytes classic(ByteOrder order, boolean nanos, int snaplen, int linkTypeField) {
        CaptureFileBytes b = new CaptureFileBytes(order);
        b.i32(nanos ? 0xa1b23c4d : 0xa1b2c3d4)
                .i16(2)
                .i16(4)
                .i32(0)
                .i32(0)
                .i32(snaplen)
                .i32(linkTypeField);
        return b;
    }

    public CaptureFileBytes record(long seconds, long fraction, byte[] frame) {
        return record(seconds, fraction, frame.length, frame.length, frame);
    }

    /** A record header with the given lengths followed by {@code data} (which may be shorter or longer). */
    public CaptureFileBytes record(long seconds, long fraction, int caplen, int wirelen, byte[] data) {
        i32((int) seconds).i32((int) fraction).i32(caplen).i32(wirelen);
        out.writeBytes(data);
        return this;
    }

    // ---------------------------------------------------------------- pcapng

    public static CaptureFileBytes pcapng(ByteOrder order) {
        CaptureFileBytes b = new CaptureFileBytes(order);
        return b.sectionHeader(order);
    }

    /** A section header block (starts a new section, possibly in the other byte order). */
    public CaptureFileBytes sectionHeader(ByteOrder newOrder) {
        order = newOrder;
        return block(0x0a0d0d0a, body().i32(0x1a2b3c4d).i16(1).i16(0).i64(-1));
    }

    /** An interface description block; {@code options} from {@link #option}, may be empty. */
    public CaptureFileBytes interfaceBlock(int linkType, int snaplen, byte[]... options) {
        CaptureFileBytes body = body().i16(linkType).i16(0).i32(snaplen);
        for (byte[] o : options) body.out.writeBytes(o);
        if (options.length > 0) body.i16(0).i16(0);
        return block(1, body);
    }

    /** An option record (code, length, value padded to 4), in the current byte order. */
    public byte[] option(int code, byte[] value) {
        CaptureFileBytes o = body().i16(code).i16(value.length);
        o.out.writeBytes(value);
        o.pad();
        return o.out.toByteArray();
    }

    public byte[] option64(int code, long value) {
        return option(code, ByteBuffer.allocate(8).order(order).putLong(value).array());
    }

    public CaptureFileBytes enhancedPacket(int iface, long ts, byte[] frame) {
        return enhancedPacket(iface, ts, frame.length, frame.length, frame);
    }

    public CaptureFileBytes enhancedPacket(int iface, long ts, int caplen, int wirelen, byte[] data) {
        CaptureFileBytes body = body().i32(iface)
                .i32((int) (ts >>> 32))
                .i32((int) ts)
                .i32(caplen)
                .i32(wirelen);
        body.out.writeBytes(data);
        body.pad();
        return block(6, body);
    }

    public CaptureFileBytes obsoletePacket(int iface, long ts, byte[] frame) {
        CaptureFileBytes body = body().i16(iface)
                .i16(0)
                .i32((int) (ts >>> 32))
                .i32((int) ts)
                .i32(frame.length)
                .i32(frame.length);
        body.out.writeBytes(frame);
        body.pad();
        return block(2, body);
    }

    public CaptureFileBytes simplePacket(int wirelen, byte[] data) {
        CaptureFileBytes body = body().i32(wirelen);
        body.out.writeBytes(data);
        body.pad();
        return block(3, body);
    }

    /** Any block type with an opaque body (padded). */
    public CaptureFileBytes otherBlock(int type, byte[] content) {
        CaptureFileBytes body = body();
        body.out.writeBytes(content);
        body.pad();
        return block(type, body);
    }

    // ---------------------------------------------------------------- raw

    public CaptureFileBytes i16(int v) {
        out.writeBytes(ByteBuffer.allocate(2).order(order).putShort((short) v).array());
        return this;
    }

    public CaptureFileBytes i32(int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(order).putInt(v).array());
        return this;
    }

    public CaptureFileBytes i64(long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(order).putLong(v).array());
        return this;
    }

    public CaptureFileBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private CaptureFileBytes body() {
        return new CaptureFileBytes(order);
    }

    private void pad() {
        while (out.size() % 4 != 0) out.write(0);
    }

    private CaptureFileBytes block(int type, CaptureFileBytes body) {
        int len = 12 + body.out.size();
        i32(type).i32(len);
        out.writeBytes(body.out.toByteArray());
        return i32(len);
    }
}
