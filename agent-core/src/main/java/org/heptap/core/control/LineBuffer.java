package org.heptap.core.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of newline-terminated lines as they arrive from a channel, bounded: it never holds
 * more than {@code max} bytes of a line, so a peer that sends a huge line without a newline is
 * refused once the bound is passed instead of filling the heap (as {@code readLine} would).
 */
final class LineBuffer {
    private final int max;
    private ByteBuffer buf;
    /** Where the search for the next newline goes on (bytes before it hold none). */
    private int scanned;

    /** @param max the longest line accepted, without its newline */
    LineBuffer(int max) {
        this.max = max;
        this.buf = ByteBuffer.allocate(Math.min(max + 1, 4096));
    }

    /**
     * Reads what the channel has now (all of it in blocking mode, what is there in non-blocking
     * mode) into the room left; -1 at the end of the stream. Reads nothing once a line is over
     * the bound ({@link #overflowed()}).
     */
    int fill(ReadableByteChannel ch) throws IOException {
        if (!buf.hasRemaining()) {
            if (buf.capacity() > max) return 0; // a whole line over the bound: overflowed()
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min((long) max + 1, 2L * buf.capacity()));
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        return ch.read(buf);
    }

    /** The next complete line without its newline (and a CR before it), or null until one is there. */
    String nextLine() {
        int end = buf.position();
        byte[] a = buf.array();
        for (int i = scanned; i < end; i++) {
            if (a[i] != '\n') continue;
            int len = i > 0 && a[i - 1] == '\r' ? i - 1 : i;
            String line = new String(a, 0, len, StandardCharsets.UTF_8);
            buf.flip().position(i + 1);
            buf.compact();
            scanned = 0;
            return line;
        }
        scanned = end;
        return null;
    }

    /** True when the bytes waiting hold no newline and are longer than the bound. */
    boolean overflowed() {
        return scanned > max;
    }

    /** True when bytes of an unfinished line are waiting. */
    boolean hasPartial() {
        return buf.position() > 0;
    }

    int max() {
        return max;
    }
}
