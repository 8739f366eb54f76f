package org.heptap.hep.relay;

import org.heptap.core.spi.StreamFramer;

/**
 * Frames HEP3 packets sent back to back on a TCP stream (the way heptap, heplify and captagent
 * send over TCP): each starts with {@code HEP3} and carries its total length at offset 4. Bytes
 * that do not start a HEP3 packet are skipped up to the next {@code HEP3} (a sender's garbage must
 * not stall the connection). HEP v1/v2 have no total length, so they cannot be framed on a stream.
 */
public final class HepStreamFramer implements StreamFramer {
    private static final int HEADER = 6;

    @Override
    public String name() {
        return "hep";
    }

    @Override
    public int next(byte[] buf, int off, int len, Span span) {
        span.set(off, 0);
        if (len < 4) return 0;
        if (!isMagic(buf, off)) {
            for (int i = 1; i + 4 <= len; i++) {
                if (isMagic(buf, off + i)) return i; // skip the noise before the next packet
            }
            return len - 3; // keep the last bytes: they may begin a packet
        }
        if (len < HEADER) return 0;
        int total = (buf[off + 4] & 0xff) << 8 | (buf[off + 5] & 0xff);
        if (total < HEADER) return 4; // a broken header: skip its magic, look for the next
        if (len < total) return 0;
        span.set(off, total);
        return total;
    }

    private static boolean isMagic(byte[] b, int i) {
        return (b[i] == 'H' && b[i + 1] == 'E' && b[i + 2] == 'P' || b[i] == 'E' && b[i + 1] == 'E' && b[i + 2] == 'P')
                && b[i + 3] == '3';
    }
}
