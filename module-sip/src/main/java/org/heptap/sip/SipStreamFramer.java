package org.heptap.sip;

import org.heptap.core.spi.StreamFramer;

/**
 * Where SIP messages end in a TCP stream (RFC 3261 §18.3): after the blank line ending the
 * headers, plus the body's Content-Length ({@code l} in compact form; none means no body).
 * CRLF keep-alives (RFC 5626) between messages are consumed without a message; bytes that cannot
 * start a message (a capture begun mid-message) are skipped line by line up to the next start
 * line. Keeps no state, so one instance serves every flow.
 */
public final class SipStreamFramer implements StreamFramer {
    /** Bodies larger than this are not believed: the header is corrupt or not SIP. */
    static final int MAX_CONTENT_LENGTH = 1 << 24;

    @Override
    public String name() {
        return "sip";
    }

    @Override
    public int next(byte[] buf, int off, int len, Span span) {
        span.set(off, 0);
        int end = off + len;
        int i = off;
        while (i < end && (buf[i] == '\r' || buf[i] == '\n')) i++;
        if (i > off) return i - off; // keep-alive or the tail of a skipped message
        int start = startLine(buf, off, end);
        if (start == 0) return 0;
        if (start < 0) return skipLine(buf, off, end);
        int headersEnd = -1;
        int contentLength = 0;
        int line = lineEnd(buf, off, end); // index of the start line's '\n'
        if (line < 0) return 0;
        int p = line + 1;
        while (true) {
            int nl = lineEnd(buf, p, end);
            if (nl < 0) return 0; // headers not complete yet
            int textEnd = nl > p && buf[nl - 1] == '\r' ? nl - 1 : nl;
            if (textEnd == p) {
                headersEnd = nl + 1;
                break;
            }
            int cl = contentLength(buf, p, textEnd);
            if (cl == -2) return skipLine(buf, off, end);
            if (cl >= 0) contentLength = cl;
            p = nl + 1;
        }
        long total = (long) headersEnd - off + contentLength;
        if (total > len) return 0;
        span.set(off, (int) total);
        return (int) total;
    }

    /** 1 when the bytes start like a request or status line, 0 when too few to tell, -1 when not. */
    static int startLine(byte[] buf, int off, int end) {
        String sip = "SIP/2.0 ";
        int n = Math.min(sip.length(), end - off);
        boolean status = true;
        for (int k = 0; k < n; k++) {
            if (buf[off + k] != sip.charAt(k)) {
                status = false;
                break;
            }
        }
        if (status) return n == sip.length() ? 1 : 0;
        // a request: a method token (letters, digits, '-', '.', '!', '%', '*', '_', '+', '`', ''', '~') and a space
        int k = off;
        while (k < end && k - off < 32) {
            byte b = buf[k];
            if (b == ' ') return k > off ? 1 : -1;
            if (!(Character.isLetterOrDigit(b) || "-.!%*_+`'~".indexOf(b) >= 0)) return -1;
            k++;
        }
        return k - off >= 32 ? -1 : 0;
    }

    private static int skipLine(byte[] buf, int off, int end) {
        int nl = lineEnd(buf, off, end);
        return nl < 0 ? end - off : nl + 1 - off;
    }

    private static int lineEnd(byte[] buf, int from, int end) {
        for (int i = from; i < end; i++) if (buf[i] == '\n') return i;
        return -1;
    }

    /** The value of a Content-Length header line, -1 for another header, -2 for an invalid value. */
    static int contentLength(byte[] buf, int from, int to) {
        int colon = -1;
        for (int i = from; i < to; i++) {
            if (buf[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) return -1;
        int nameEnd = colon;
        while (nameEnd > from && (buf[nameEnd - 1] == ' ' || buf[nameEnd - 1] == '\t')) nameEnd--;
        if (!nameIs(buf, from, nameEnd, "content-length") && !nameIs(buf, from, nameEnd, "l")) return -1;
        int i = colon + 1;
        while (i < to && (buf[i] == ' ' || buf[i] == '\t')) i++;
        long v = 0;
        int digits = 0;
        while (i < to && buf[i] >= '0' && buf[i] <= '9') {
            v = v * 10 + (buf[i] - '0');
            if (v > MAX_CONTENT_LENGTH) return -2;
            i++;
            digits++;
        }
        while (i < to && (buf[i] == ' ' || buf[i] == '\t')) i++;
        return digits == 0 || i != to ? -2 : (int) v;
    }

    private static boolean nameIs(byte[] buf, int from, int to, String name) {
        if (to - from != name.length()) return false;
        for (int i = 0; i < name.length(); i++) {
            if (Character.toLowerCase((char) buf[from + i]) != name.charAt(i)) return false;
        }
        return true;
    }
}
