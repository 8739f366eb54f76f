package org.heptap.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable byte buffer that JSON text is appended to without allocating per document: numbers
 * are written digit by digit, strings are escaped in place. Grows (rarely) up to
 * {@link #MAX_BYTES}; past that {@link #overflowed()} is set and the document must be dropped.
 */
final class JsonBuffer {
    static final int MAX_BYTES = 64 * 1024;

    private byte[] buf = new byte[2048];
    private int len;
    private boolean overflow;

    void clear() {
        len = 0;
        overflow = false;
    }

    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    boolean overflowed() {
        return overflow;
    }

    void setLength(int n) {
        len = n;
    }

    int lastByte() {
        return len == 0 ? -1 : buf[len - 1];
    }

    private boolean room(int n) {
        if (len + n <= buf.length) return true;
        if (len + n > MAX_BYTES) {
            overflow = true;
            return false;
        }
        buf = Arrays.copyOf(buf, Math.min(MAX_BYTES, Math.max(buf.length * 2, len + n)));
        return true;
    }

    JsonBuffer ascii(String s) {
        int n = s.length();
        if (!room(n)) return this;
        for (int i = 0; i < n; i++) buf[len++] = (byte) s.charAt(i);
        return this;
    }

    JsonBuffer ch(char c) {
        if (room(1)) buf[len++] = (byte) c;
        return this;
    }

    JsonBuffer num(long v) {
        if (!room(20)) return this;
        if (v < 0) {
            buf[len++] = '-';
            if (v == Long.MIN_VALUE) return ascii("9223372036854775808");
            v = -v;
        }
        if (v == 0) {
            buf[len++] = '0';
            return this;
        }
        int startDigits = len;
        while (v > 0) {
            buf[len++] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        for (int i = startDigits, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    /** {@code "key":} */
    /** {@code ,"k":v}: a member after the first. */
    JsonBuffer next(String k, long v) {
        return ch(',').key(k).num(v);
    }

    JsonBuffer key(String k) {
        return ch('"').ascii(k).ch('"').ch(':');
    }

    /**
     * A JSON string from raw bytes: quotes, backslashes and control characters escaped; valid
     * UTF-8 copied as is, any other byte above 0x7f written as the Latin-1 character it would be.
     */
    JsonBuffer string(byte[] b, int off, int n) {
        ch('"');
        boolean utf8 = validUtf8(b, off, n);
        for (int i = off; i < off + n; i++) {
            int c = b[i] & 0xff;
            if (c == '"' || c == '\\') {
                ch('\\').ch((char) c);
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8)) {
                ascii("\\u00").ch(hex(c >> 4)).ch(hex(c & 15));
            } else {
                ch((char) c);
            }
        }
        return ch('"');
    }

    JsonBuffer string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return string(b, 0, b.length);
    }

    private static char hex(int d) {
        return (char) (d < 10 ? '0' + d : 'a' + d - 10);
    }

    static boolean validUtf8(byte[] b, int off, int n) {
        int i = off;
        int end = off + n;
        while (i < end) {
            int c = b[i] & 0xff;
            int more;
            if (c < 0x80) more = 0;
            else if (c >= 0xc2 && c <= 0xdf) more = 1;
            else if (c >= 0xe0 && c <= 0xef) more = 2;
            else if (c >= 0xf0 && c <= 0xf4) more = 3;
            else return false;
            if (i + more >= end && more > 0) return false;
            for (int k = 1; k <= more; k++) {
                if ((b[i + k] & 0xc0) != 0x80) return false;
            }
            i += more + 1;
        }
        return true;
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }
}
