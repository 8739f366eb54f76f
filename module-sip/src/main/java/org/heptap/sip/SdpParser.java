package org.heptap.sip;

import java.util.Objects;

/**
 * Reads the connection and media lines of an SDP body into an {@link Sdp}, and finds the SDP
 * part of a {@code multipart/mixed} body. Lines may end in CRLF or a bare LF (captagent requires
 * CRLF; tolerating LF costs nothing). Unknown or malformed lines are skipped: SDP from the wire
 * is a hint for correlation, not something to reject.
 */
public final class SdpParser {
    private SdpParser() {}

    private static final byte[] IN = {'i', 'n'};
    private static final byte[] IP4 = {'i', 'p', '4'};
    private static final byte[] IP6 = {'i', 'p', '6'};
    private static final byte[] RTCP = Ascii.lowerBytes("rtcp:");
    private static final byte[] RTCP_MUX = Ascii.lowerBytes("rtcp-mux");
    private static final byte[] CONTENT_TYPE = Ascii.lowerBytes("content-type");
    private static final byte[] APPLICATION_SDP = Ascii.lowerBytes("application/sdp");
    /** RFC 2046 limits boundaries to 70 characters; allow some slack, refuse absurd ones. */
    private static final int MAX_BOUNDARY = 200;

    /**
     * Parses {@code b[off..off+len)} as SDP into {@code out}. Returns true when it held at least
     * one media or connection line.
     */
    public static boolean parse(byte[] b, int off, int len, Sdp out) {
        Objects.checkFromIndexSize(off, len, b.length);
        out.reset(b, off, len);
        int end = off + len;
        int pos = off;
        boolean inMedia = false;
        int media = -1;
        boolean any = false;
        while (pos < end) {
            int lf = Ascii.indexOf(b, pos, end, (byte) '\n');
            int next = lf < 0 ? end : lf + 1;
            int le = lf < 0 ? end : lf;
            if (le > pos && b[le - 1] == '\r') le--;
            if (le - pos >= 2 && b[pos + 1] == '=') {
                switch (b[pos]) {
                    case 'm' -> {
                        inMedia = true;
                        media = mediaLine(b, pos + 2, le, out);
                        any = true;
                    }
                    case 'c' -> {
                        long a = connection(b, pos + 2, le);
                        if (a != Ascii.NO_SLICE) {
                            int version = (int) (a >>> 56);
                            int aOff = (int) ((a >>> 24) & 0xffffffL) + pos + 2;
                            int aLen = (int) (a & 0xffffffL);
                            if (!inMedia) {
                                out.setSessionAddress(aOff, aLen, version);
                                any = true;
                            } else if (media >= 0) {
                                out.setMediaAddress(media, aOff, aLen, version);
                            }
                        }
                    }
                    case 'a' -> {
                        if (media >= 0) attribute(b, pos + 2, le, media, out);
                    }
                    default -> {}
                }
            }
            pos = next;
        }
        return any;
    }

    /** {@code <media> <port>[/<count>] <proto> <fmt>...}; returns the stored index or -1. */
    private static int mediaLine(byte[] b, int from, int to, Sdp out) {
        int t = from;
        int te = t;
        while (te < to && b[te] != ' ' && b[te] != '\t') te++;
        if (te == t) return -1;
        int p = skipSpaces(b, te, to);
        long rtpPort = Ascii.parseDigits(b, p, to, 65535);
        if (rtpPort < 0) return -1;
        int pe = Ascii.skipDigits(b, p, to);
        if (pe < to && b[pe] == '/') pe = Ascii.skipDigits(b, pe + 1, to);
        int pr = skipSpaces(b, pe, to);
        int pre = pr;
        while (pre < to && b[pre] != ' ' && b[pre] != '\t') pre++;
        return out.addMedia(t, te - t, (int) rtpPort, pr, pre - pr);
    }

    /**
     * {@code IN IP4|IP6 <address>[/ttl[/count]]}. Returns version (top byte), address offset
     * relative to {@code from} (24 bits) and length (24 bits), or {@link Ascii#NO_SLICE}.
     */
    private static long connection(byte[] b, int from, int to) {
        int n = skipSpaces(b, from, to);
        int ne = wordEnd(b, n, to);
        if (!Ascii.equalsIgnoreCase(b, n, ne - n, IN)) return Ascii.NO_SLICE;
        int t = skipSpaces(b, ne, to);
        int te = wordEnd(b, t, to);
        int version;
        if (Ascii.equalsIgnoreCase(b, t, te - t, IP4)) version = 4;
        else if (Ascii.equalsIgnoreCase(b, t, te - t, IP6)) version = 6;
        else return Ascii.NO_SLICE;
        int a = skipSpaces(b, te, to);
        int ae = a;
        while (ae < to && b[ae] != ' ' && b[ae] != '\t' && b[ae] != '/') ae++;
        if (ae == a || ae - a > 0xffffff || a - from > 0xffffff) return Ascii.NO_SLICE;
        return ((long) version << 56) | ((long) (a - from) << 24) | (ae - a);
    }

    /** {@code rtcp:<port> [IN IP4|IP6 <addr>]} and {@code rtcp-mux}. */
    private static void attribute(byte[] b, int from, int to, int media, Sdp out) {
        if (Ascii.startsWithIgnoreCase(b, from, to, RTCP)) {
            int p = skipSpaces(b, from + RTCP.length, to);
            long rtcpPort = Ascii.parseDigits(b, p, to, 65535);
            if (rtcpPort < 0) return;
            int pe = Ascii.skipDigits(b, p, to);
            long a = connection(b, pe, to);
            if (a == Ascii.NO_SLICE) {
                out.setRtcpAttribute(media, (int) rtcpPort, 0, 0, 0);
            } else {
                out.setRtcpAttribute(
                        media, (int) rtcpPort, (int) ((a >>> 24) & 0xffffffL) + pe, (int) (a & 0xffffffL), (int)
                                (a >>> 56));
            }
        } else if (Ascii.startsWithIgnoreCase(b, from, to, RTCP_MUX)) {
            int e = from + RTCP_MUX.length;
            if (e == to || b[e] == ' ' || b[e] == '\t') out.setRtcpMux(media);
        }
    }

    // ------------------------------------------------------------------ multipart

    /**
     * Finds the first {@code application/sdp} part of a multipart body and parses it. With no
     * usable boundary (missing parameter), falls back to the first line starting with
     * {@code v=} up to the next line starting with {@code --}.
     *
     * @param bOff offset of the boundary parameter value in {@code b}, length {@code bLen}
     *             (0 when the Content-Type has none)
     */
    public static boolean parseMultipart(byte[] b, int off, int len, int bOff, int bLen, Sdp out) {
        Objects.checkFromIndexSize(off, len, b.length);
        int end = off + len;
        if (bLen <= 0 || bLen > MAX_BOUNDARY) return parseFirstSdpLines(b, off, end, out);
        int pos = off;
        while (true) {
            int d = findDelimiter(b, pos, end, bOff, bLen);
            if (d < 0) return false;
            int after = d + 2 + bLen;
            if (after + 1 < end && b[after] == '-' && b[after + 1] == '-') return false; // close delimiter
            int lf = Ascii.indexOf(b, after, end, (byte) '\n');
            if (lf < 0) return false;
            // part headers, up to the blank line
            int h = lf + 1;
            boolean isSdp = false;
            int content = -1;
            while (h < end) {
                int hl = Ascii.indexOf(b, h, end, (byte) '\n');
                int hn = hl < 0 ? end : hl + 1;
                int he = hl < 0 ? end : hl;
                if (he > h && b[he - 1] == '\r') he--;
                if (he == h) {
                    content = hn;
                    break;
                }
                if (isSdpContentType(b, h, he)) isSdp = true;
                h = hn;
            }
            if (content < 0) return false;
            int next = findDelimiter(b, content, end, bOff, bLen);
            if (isSdp) {
                int ce = next < 0 ? end : next;
                // the CRLF before the delimiter belongs to the delimiter (RFC 2046 §5.1.1)
                if (ce > content && b[ce - 1] == '\n') ce--;
                if (ce > content && b[ce - 1] == '\r') ce--;
                return parse(b, content, ce - content, out);
            }
            if (next < 0) return false;
            pos = next;
        }
    }

    /** {@code Content-Type: application/sdp} (or compact {@code c:}), any case and spacing. */
    private static boolean isSdpContentType(byte[] b, int from, int to) {
        int ne = from;
        while (ne < to && Ascii.isToken(b[ne])) ne++;
        boolean named = Ascii.equalsIgnoreCase(b, from, ne - from, CONTENT_TYPE)
                || (ne - from == 1 && Ascii.lower(b[from]) == 'c');
        if (!named) return false;
        int c = skipSpaces(b, ne, to);
        if (c >= to || b[c] != ':') return false;
        return mediaTypeIs(b, c + 1, to, APPLICATION_SDP);
    }

    /**
     * True if the media type ({@code type/subtype}, before any parameters) in {@code [from, to)}
     * equals {@code lower}, ignoring case and whitespace around the parts.
     */
    static boolean mediaTypeIs(byte[] b, int from, int to, byte[] lower) {
        int i = Ascii.skipWs(b, from, to);
        int k = 0;
        while (i < to && b[i] != ';' && b[i] != ',') {
            byte c = b[i++];
            if (Ascii.isWs(c)) continue;
            if (k == lower.length || Ascii.lower(c) != lower[k]) return false;
            k++;
        }
        return k == lower.length;
    }

    /** Start of the next {@code --boundary} that begins a line, or -1. */
    private static int findDelimiter(byte[] b, int from, int end, int bOff, int bLen) {
        for (int i = from; i + 2 + bLen <= end; i++) {
            if (b[i] != '-' || b[i + 1] != '-') continue;
            if (i != from && b[i - 1] != '\n') continue;
            boolean match = true;
            for (int k = 0; k < bLen; k++) {
                if (b[i + 2 + k] != b[bOff + k]) {
                    match = false;
                    break;
                }
            }
            if (match) return i;
        }
        return -1;
    }

    private static boolean parseFirstSdpLines(byte[] b, int off, int end, Sdp out) {
        int pos = off;
        int start = -1;
        while (pos < end) {
            int lf = Ascii.indexOf(b, pos, end, (byte) '\n');
            int next = lf < 0 ? end : lf + 1;
            if (start < 0 && end - pos >= 2 && b[pos] == 'v' && b[pos + 1] == '=') start = pos;
            else if (start >= 0 && end - pos >= 2 && b[pos] == '-' && b[pos + 1] == '-')
                return parse(b, start, pos - start, out);
            pos = next;
        }
        return start >= 0 && parse(b, start, end - start, out);
    }

    private static int skipSpaces(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) from++;
        return from;
    }

    private static int wordEnd(byte[] b, int from, int to) {
        while (from < to && b[from] != ' ' && b[from] != '\t') from++;
        return from;
    }
}
