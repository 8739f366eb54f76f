package org.heptap.core.decode.tcp;

import org.heptap.core.spi.StreamFramer;

/**
 * WebSocket (RFC 6455) as a stream framer: the HTTP upgrade exchange is skipped, every complete
 * text or binary frame is one message (RFC 7118 puts one signalling message in one WebSocket message),
 * masked payloads are unmasked in place, control frames are consumed without a message.
 */
public final class WebSocketFramer implements StreamFramer {
    /** Larger frames carry no signalling message; consumed whole so the stream stays in step. */
    static final int MAX_PAYLOAD = 1 << 20;

    private long fragmentedFrames;

    @Override
    public String name() {
        return TcpOptions.WEBSOCKET_FRAMER;
    }

    @Override
    public int next(byte[] buf, int off, int len, Span span) {
        span.set(off, 0);
        if (startsWith(buf, off, len, "GET ") || startsWith(buf, off, len, "HTTP/")) {
            int end = headerEnd(buf, off, len);
            return end < 0 ? 0 : end - off;
        }
        if (len < 2) return 0;
        int b0 = buf[off] & 0xff;
        int b1 = buf[off + 1] & 0xff;
        boolean masked = (b1 & 0x80) != 0;
        long length = b1 & 0x7f;
        int p = off + 2;
        if (length == 126) {
            if (len < 4) return 0;
            length = ((buf[p] & 0xff) << 8) | (buf[p + 1] & 0xff);
            p += 2;
        } else if (length == 127) {
            if (len < 10) return 0;
            length = 0;
            for (int i = 0; i < 8; i++) length = (length << 8) | (buf[p + i] & 0xff);
            p += 8;
        }
        if (length < 0 || length > MAX_PAYLOAD) return len; // not a frame we can follow: drop what is here
        int maskAt = p;
        if (masked) p += 4;
        int header = p - off;
        if (len < header + length) return 0;
        int n = (int) length;
        if (masked) {
            for (int i = 0; i < n; i++) buf[p + i] ^= buf[maskAt + (i & 3)];
        }
        int opcode = b0 & 0x0f;
        boolean fin = (b0 & 0x80) != 0;
        if ((opcode == 1 || opcode == 2) && fin) span.set(p, n);
        else if (opcode == 0 || ((opcode == 1 || opcode == 2) && !fin)) fragmentedFrames++;
        return header + n;
    }

    /** Data frames of messages split over several frames: skipped, signalling over WebSocket does not do that. */
    public long fragmentedFrames() {
        return fragmentedFrames;
    }

    private static boolean startsWith(byte[] buf, int off, int len, String s) {
        if (len < s.length()) return false;
        for (int i = 0; i < s.length(); i++) if (buf[off + i] != s.charAt(i)) return false;
        return true;
    }

    /** Index just past the blank line ending an HTTP header block, or -1 when it is not here yet. */
    static int headerEnd(byte[] buf, int off, int len) {
        for (int i = off; i + 3 < off + len; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') return i + 4;
        }
        return -1;
    }
}
