package org.heptap.core.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/**
 * A read-ahead window over a capture file. Record readers ask for {@code n} bytes with
 * {@link #ensure}, read fields at offsets relative to the current record, lend the frame's bytes
 * to the {@link Frame} ({@link #lend}) and {@link #consume} the record. The window is a plain
 * array: frames are decoded where they lie in it, with no copy per frame (the channel fills the
 * window in bulk, through the JDK's temporary direct buffer); a frame stays valid until the next
 * {@link #ensure} moves the window on.
 */
final class CaptureFileBuffer {
    /**
     * Small enough that what one read() wrote is still in the core's own cache (L2, 512 KiB here)
     * when the frames are decoded from it: with a 1 MiB window the first reads of each frame came
     * back from L3 (~5 % of a replay's main-thread CPU). Larger records grow it.
     */
    static final int DEFAULT_CAPACITY = 64 << 10;

    private final ReadableByteChannel channel;
    private byte[] window;
    /** {@link #window} as the channel fills it. */
    private ByteBuffer io;
    /** Start of the current record in {@link #window}. */
    private int pos;
    /** End of the bytes read into {@link #window}. */
    private int limit;
    /** File offset of index 0 of {@link #window}, for problem messages. */
    private long base;

    private boolean bigEndian = true;
    private boolean eof;

    CaptureFileBuffer(ReadableByteChannel channel, int capacity) {
        this.channel = channel;
        this.window = new byte[capacity];
        this.io = ByteBuffer.wrap(window);
    }

    void order(ByteOrder order) {
        bigEndian = order == ByteOrder.BIG_ENDIAN;
    }

    ByteOrder order() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** Unread bytes currently buffered. */
    int available() {
        return limit - pos;
    }

    /** File offset of the current position. */
    long offset() {
        return base + pos;
    }

    /**
     * Makes at least {@code n} unread bytes available, reading more of the file as needed.
     * Returns false when the file ends first (what is there stays available).
     */
    boolean ensure(int n) throws IOException {
        if (limit - pos >= n) return true;
        if (eof) return false;
        // the unread rest moves to the start of the window (the previous frame is done with)
        int rest = limit - pos;
        System.arraycopy(window, pos, window, 0, rest);
        base += pos;
        pos = 0;
        limit = rest;
        while (limit < n) {
            if (limit == window.length) grow(n);
            io.limit(window.length).position(limit);
            int r = channel.read(io);
            if (r < 0) {
                eof = true;
                break;
            }
            limit += r;
        }
        return limit >= n;
    }

    /** Drops {@code n} bytes, reading through the file when they are not buffered. */
    boolean skip(long n) throws IOException {
        while (true) {
            int r = limit - pos;
            if (r >= n) {
                pos += (int) n;
                return true;
            }
            n -= r;
            pos = limit;
            if (!ensure(1)) return false;
        }
    }

    /** Consumes {@code n} bytes that {@link #ensure} made available. */
    void consume(int n) {
        pos += n;
    }

    int u8(int at) {
        return window[pos + at] & 0xff;
    }

    int u16(int at) {
        int i = pos + at;
        int a = window[i] & 0xff, b = window[i + 1] & 0xff;
        return bigEndian ? a << 8 | b : b << 8 | a;
    }

    /** 32-bit field in the file's byte order, as a signed int. */
    int i32(int at) {
        int i = pos + at;
        int v = (window[i] & 0xff) << 24
                | (window[i + 1] & 0xff) << 16
                | (window[i + 2] & 0xff) << 8
                | window[i + 3] & 0xff;
        return bigEndian ? v : Integer.reverseBytes(v);
    }

    long u32(int at) {
        return i32(at) & 0xffffffffL;
    }

    long i64(int at) {
        long high = u32(at), low = u32(at + 4);
        return bigEndian ? high << 32 | low : low << 32 | high;
    }

    /** The {@code len} bytes at {@code at} become {@code frame}'s, in place, until the next {@link #ensure}. */
    void lend(int at, Frame frame, int len) {
        frame.view(window, pos + at, len);
    }

    /**
     * The window is full but a record needs more. Grows at most to twice what is already read,
     * so a corrupt length in a short file cannot make it allocate more than the file holds.
     */
    private void grow(int n) {
        byte[] bigger = new byte[(int) Math.min(n, 2L * window.length)];
        System.arraycopy(window, 0, bigger, 0, limit);
        window = bigger;
        io = ByteBuffer.wrap(window);
    }
}
