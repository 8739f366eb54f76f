package org.heptap.core.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/**
 * A read-ahead window over a capture file. Record readers ask for {@code n} bytes with
 * {@link #ensure}, read fields at offsets relative to the current record, copy the frame out and
 * {@link #consume} the record. The window is one direct buffer, so the kernel writes file data
 * straight into it and each frame is copied exactly once, into {@link Frame#data}.
 */
final class CaptureFileBuffer {
    /**
     * Small enough that what one read() wrote is still in the core's own cache (L2, 512 KiB here)
     * when the frames are copied out of it: with a 1 MiB window the copies read the window's start
     * back from L3, and that copy was ~5 % of a replay's main-thread CPU. Larger records grow it.
     */
    static final int DEFAULT_CAPACITY = 64 << 10;

    private final ReadableByteChannel channel;
    private ByteBuffer buf;
    /** File offset of index 0 of {@link #buf}, for problem messages. */
    private long base;

    private boolean eof;

    CaptureFileBuffer(ReadableByteChannel channel, int capacity) {
        this.channel = channel;
        this.buf = ByteBuffer.allocateDirect(capacity);
        buf.limit(0);
    }

    void order(ByteOrder order) {
        buf.order(order);
    }

    ByteOrder order() {
        return buf.order();
    }

    /** Unread bytes currently buffered. */
    int available() {
        return buf.remaining();
    }

    /** File offset of the current position. */
    long offset() {
        return base + buf.position();
    }

    /**
     * Makes at least {@code n} unread bytes available, reading more of the file as needed.
     * Returns false when the file ends first (what is there stays available).
     */
    boolean ensure(int n) throws IOException {
        if (buf.remaining() >= n) return true;
        if (eof) return false;
        base += buf.position();
        buf.compact();
        while (true) {
            while (buf.hasRemaining() && buf.position() < n) {
                if (channel.read(buf) < 0) {
                    eof = true;
                    break;
                }
            }
            if (buf.position() >= n || eof) break;
            growWhileWriting(n);
        }
        buf.flip();
        return buf.remaining() >= n;
    }

    /** Drops {@code n} bytes, reading through the file when they are not buffered. */
    boolean skip(long n) throws IOException {
        while (true) {
            int r = buf.remaining();
            if (r >= n) {
                buf.position(buf.position() + (int) n);
                return true;
            }
            n -= r;
            buf.position(buf.limit());
            if (!ensure(1)) return false;
        }
    }

    /** Consumes {@code n} bytes that {@link #ensure} made available. */
    void consume(int n) {
        buf.position(buf.position() + n);
    }

    int u8(int at) {
        return buf.get(buf.position() + at) & 0xff;
    }

    int u16(int at) {
        return buf.getShort(buf.position() + at) & 0xffff;
    }

    /** 32-bit field in the buffer's byte order, as a signed int. */
    int i32(int at) {
        return buf.getInt(buf.position() + at);
    }

    long u32(int at) {
        return buf.getInt(buf.position() + at) & 0xffffffffL;
    }

    long i64(int at) {
        return buf.getLong(buf.position() + at);
    }

    void copy(int at, byte[] dst, int len) {
        buf.get(buf.position() + at, dst, 0, len);
    }

    /**
     * The window is full but a record needs more. Grows at most to twice what is already read,
     * so a corrupt length in a short file cannot make it allocate more than the file holds.
     */
    private void growWhileWriting(int n) {
        ByteBuffer bigger = ByteBuffer.allocateDirect((int) Math.min(n, 2L * buf.capacity()));
        bigger.order(buf.order());
        buf.flip();
        bigger.put(buf);
        buf = bigger;
    }
}
