package org.heptap.sip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte-level helpers shared by the SIP and SDP parsers. All ranges are {@code [from, to)}. */
final class Ascii {
    private Ascii() {}

    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) TOKEN[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) TOKEN[c] = true;
        for (int c = '0'; c <= '9'; c++) TOKEN[c] = true;
        for (char c : "-.!%*_+`'~".toCharArray()) TOKEN[c] = true;
    }

    /** RFC 3261 token character (header names, methods). */
    static boolean isToken(byte b) {
        return TOKEN[b & 0xff];
    }

    static boolean isAlpha(byte b) {
        int c = b | 0x20;
        return c >= 'a' && c <= 'z';
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** Linear whitespace, including the CR/LF left inside folded header values. */
    static boolean isWs(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b & 0xff;
    }

    /**
     * Index of the first {@code c} in {@code b[from..to)}, or -1. Eight bytes at a time: the
     * header walk, the SDP walk and the value splitters all look for line ends and delimiters
     * with this, and the agent's JIT (C1 only, see bin/heptap) compiles a byte-at-a-time loop to
     * some 5 ns per byte, most of the parse of a 700-byte message; one 8-byte load and a
     * zero-byte test per word is about a quarter of that (bench/README.md, issue 15).
     */
    static int indexOf(byte[] b, int from, int to, byte c) {
        int i = from;
        if (to - from >= Long.BYTES) {
            long pattern = (c & 0xffL) * ONES;
            for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
                long hit = zeroBytes((long) LONGS.get(b, i) ^ pattern);
                if (hit != 0) return i + firstByte(hit);
            }
        }
        for (; i < to; i++) {
            if (b[i] == c) return i;
        }
        return -1;
    }

    /**
     * Which byte (0-7) holds the lowest set bit of {@code hit} (bits 7, 15, ... 63 only): the
     * lowest bit isolated, moved to the bottom of its byte, and multiplied so that byte index k
     * lands in the top byte. C1 does not compile Long.numberOfTrailingZeros to one instruction
     * but to two calls.
     */
    private static int firstByte(long hit) {
        return (int) ((((hit & -hit) >>> 7) * BYTE_INDEX) >>> 56);
    }

    private static final long BYTE_INDEX = 0x0001020304050607L;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The high bit of each zero byte of {@code w} (and possibly of bytes above the first zero
     * byte, through the borrow): the lowest set bit is always the first zero byte, which is all
     * {@link #indexOf} reads (little-endian: lowest bit = lowest address).
     */
    private static long zeroBytes(long w) {
        return (w - ONES) & ~w & HIGHS;
    }

    static int skipWs(byte[] b, int from, int to) {
        while (from < to && isWs(b[from])) from++;
        return from;
    }

    /** End of the range with trailing whitespace removed. */
    static int trimEnd(byte[] b, int from, int to) {
        while (to > from && isWs(b[to - 1])) to--;
        return to;
    }

    /** True if {@code b[at..]} starts with {@code lower} (ASCII, already lower case), case-insensitively. */
    static boolean startsWithIgnoreCase(byte[] b, int at, int to, byte[] lower) {
        if (to - at < lower.length) return false;
        for (int i = 0; i < lower.length; i++) {
            if (lower(b[at + i]) != lower[i]) return false;
        }
        return true;
    }

    static boolean equalsIgnoreCase(byte[] b, int off, int len, byte[] lower) {
        return len == lower.length && startsWithIgnoreCase(b, off, off + len, lower);
    }

    /**
     * A name prepared for case-insensitive comparison eight bytes at a time: its lower-case bytes
     * as little-endian words, and per word the bit 0x20 of each letter. A byte matches when it
     * equals the name's byte once that bit is set in it, so only a letter's two cases match it and
     * every other byte must be equal. The header walk compares every header name it reads against
     * one to three of these; byte by byte, that was some 2 % of a SIP replay under C1.
     */
    static final class FoldedName {
        final byte[] lower;
        /**
         * The name's whole words, then its last 8 bytes when its length is not a multiple of 8;
         * a name shorter than 8 bytes is one word, zero above its length.
         */
        private final long[] words;

        private final long[] caseBits;
        /** A name shorter than 8 bytes: the bits of a word that hold it. */
        private final long shortMask;

        FoldedName(byte[] lower) {
            this.lower = lower;
            int n = lower.length;
            if (n < Long.BYTES) {
                words = new long[1];
                caseBits = new long[1];
                fold(0, 0, n);
                shortMask = n == 0 ? 0 : -1L >>> (8 * (Long.BYTES - n));
            } else {
                int whole = n / Long.BYTES;
                int count = whole + (n % Long.BYTES != 0 ? 1 : 0);
                words = new long[count];
                caseBits = new long[count];
                for (int k = 0; k < whole; k++) fold(k, k * Long.BYTES, Long.BYTES);
                if (count > whole) fold(count - 1, n - Long.BYTES, Long.BYTES);
                shortMask = 0;
            }
        }

        private void fold(int k, int from, int length) {
            for (int i = 0; i < length; i++) {
                int c = lower[from + i] & 0xff;
                words[k] |= (long) c << (8 * i);
                if (c >= 'a' && c <= 'z') caseBits[k] |= 0x20L << (8 * i);
            }
        }

        /** True if {@code b[off..off+len)} is this name in any case. */
        boolean matches(byte[] b, int off, int len) {
            if (len != lower.length) return false;
            if (b.length - off < Long.BYTES) return startsWithIgnoreCase(b, off, off + len, lower); // no word to load
            if (len < Long.BYTES) {
                return ((((long) LONGS.get(b, off)) | caseBits[0]) & shortMask) == words[0];
            }
            int k = 0;
            for (int last = len - Long.BYTES, i = 0; i <= last; i += Long.BYTES, k++) {
                if ((((long) LONGS.get(b, off + i)) | caseBits[k]) != words[k]) return false;
            }
            return k == words.length || (((long) LONGS.get(b, off + len - Long.BYTES)) | caseBits[k]) == words[k];
        }
    }

    static byte[] lowerBytes(String s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < out.length; i++) out[i] = (byte) lower((byte) s.charAt(i));
        return out;
    }

    /**
     * Unsigned decimal at {@code b[from..to)} up to the first non-digit; -1 when there is no digit
     * or the value exceeds {@code max}.
     */
    static long parseDigits(byte[] b, int from, int to, long max) {
        long v = 0;
        int i = from;
        while (i < to && isDigit(b[i])) {
            v = v * 10 + (b[i] - '0');
            if (v > max) return -1;
            i++;
        }
        return i == from ? -1 : v;
    }

    /** Index just past the digits starting at {@code from}. */
    static int skipDigits(byte[] b, int from, int to) {
        while (from < to && isDigit(b[from])) from++;
        return from;
    }

    /** Packs an offset/length pair into one long so helpers can return a slice without allocating. */
    static long slice(int off, int len) {
        return ((long) off << 32) | (len & 0xffffffffL);
    }

    static int sliceOff(long s) {
        return (int) (s >>> 32);
    }

    static int sliceLen(long s) {
        return (int) s;
    }

    static final long NO_SLICE = -1L;

    /**
     * Finds parameter {@code name} (lower case) in a {@code ;name=value;...} list within
     * {@code [from, to)}; the list ends at {@code stop} (e.g. ',' for the next Via) if non-zero.
     * Returns the value slice (quotes removed) or {@link #NO_SLICE}.
     */
    static long findParam(byte[] b, int from, int to, byte[] name, byte stop) {
        int i = from;
        while (i < to) {
            if (b[i] == stop && stop != 0) return NO_SLICE;
            if (b[i] != ';') {
                i++;
                continue;
            }
            int n = skipWs(b, i + 1, to);
            int ne = n;
            while (ne < to && isToken(b[ne])) ne++;
            int eq = skipWs(b, ne, to);
            if (ne - n == name.length && startsWithIgnoreCase(b, n, to, name) && eq < to && b[eq] == '=') {
                int v = skipWs(b, eq + 1, to);
                if (v < to && b[v] == '"') {
                    int q = indexOf(b, v + 1, to, (byte) '"');
                    int ve = q < 0 ? to : q;
                    return slice(v + 1, ve - v - 1);
                }
                int ve = v;
                while (ve < to && b[ve] != ';' && b[ve] != ',' && b[ve] != '>' && !isWs(b[ve])) ve++;
                return slice(v, ve - v);
            }
            i = ne > i + 1 ? ne : i + 1;
        }
        return NO_SLICE;
    }
}
