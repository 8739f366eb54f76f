package org.heptap.sip;

import java.util.Objects;

/**
 * Parses one SIP message from {@code (buf, off, len)} into a reusable {@link SipMessage}
 * without copying: every extracted value is an offset/length slice of {@code buf}. Never reads
 * outside {@code [off, off+len)}, allocates nothing per message, and reports bad input as a
 * {@link SipStatus}.
 *
 * <p>Line ends: CRLF or a bare LF are both accepted everywhere, including the start line.
 * captagent insists on a CRLF-terminated first line; RFC 3261 §7.5 asks receivers to be
 * tolerant, and a LF-only message is still unambiguous, so heptap accepts it.
 *
 * <p>Headers: names are matched case-insensitively, whitespace before and after the colon is
 * allowed, compact forms are recognised ({@link SipHeader}), continuation lines (leading space
 * or tab) extend the previous value. A line that is not {@code token: value} is skipped and
 * counted. The first occurrence of each extracted header wins. A last line without a line end
 * may be cut short and is ignored.
 *
 * <p>Body: the bytes after the blank line, at most Content-Length of them when that header is
 * present (fewer if the buffer ends first; {@link SipMessage#bodyTruncated()} then says so).
 * SDP is parsed when the Content-Type is {@code application/sdp} or {@code multipart/mixed}
 * (compared case-insensitively, whitespace ignored — captagent only matches the long header
 * name with zero or one space after the colon); for {@code application/vq-rtcpxr} the body's
 * {@code CallID:} line is extracted.
 *
 * <p>Immutable configuration; one instance may be shared by all threads.
 */
public final class SipParser {
    /** Upper bound for the configurable header table. */
    public static final int MAX_HEADERS_LIMIT = 4096;

    private static final byte[] SIP_SLASH = {'s', 'i', 'p', '/'};
    private static final byte[] TAG = {'t', 'a', 'g'};
    private static final byte[] BRANCH = Ascii.lowerBytes("branch");
    private static final byte[] BOUNDARY = Ascii.lowerBytes("boundary");
    private static final byte[] APPLICATION_SDP = Ascii.lowerBytes("application/sdp");
    private static final byte[] MULTIPART_MIXED = Ascii.lowerBytes("multipart/mixed");
    private static final byte[] VQ_RTCPXR = Ascii.lowerBytes("application/vq-rtcpxr");
    private static final byte[] CALLID = Ascii.lowerBytes("callid");
    private static final byte[] TEL = {'t', 'e', 'l'};

    private final HeaderName customHeader;
    private final int maxHeaders;

    public SipParser() {
        this(null, SipMessage.DEFAULT_MAX_HEADERS);
    }

    /**
     * @param customHeader header copied to {@link SipField#CUSTOM}, or null
     * @param maxHeaders   size of the header table (1..{@link #MAX_HEADERS_LIMIT})
     */
    public SipParser(HeaderName customHeader, int maxHeaders) {
        if (maxHeaders < 1 || maxHeaders > MAX_HEADERS_LIMIT)
            throw new IllegalArgumentException("maxHeaders " + maxHeaders);
        this.customHeader = customHeader;
        this.maxHeaders = maxHeaders;
    }

    public HeaderName customHeader() {
        return customHeader;
    }

    public int maxHeaders() {
        return maxHeaders;
    }

    /**
     * Parses {@code buf[off..off+len)} into {@code m} (which is cleared first) and returns the
     * outcome, also available as {@link SipMessage#status()}. Fields found before a problem stay
     * filled (e.g. the start line of a message without Call-ID).
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code buf} (a caller bug)
     */
    public SipStatus parse(byte[] buf, int off, int len, SipMessage m) {
        Objects.checkFromIndexSize(off, len, buf.length);
        m.reset(buf, off, len, maxHeaders);
        SipStatus s = parseMessage(buf, off, off + len, m);
        m.status = s;
        return s;
    }

    private SipStatus parseMessage(byte[] b, int start, int end, SipMessage m) {
        // Cheap rejection first: keep-alives, RTP, binary junk.
        if (start >= end || !Ascii.isAlpha(b[start])) return SipStatus.NOT_SIP;
        int lf = Ascii.indexOf(b, start, end, (byte) '\n');
        int le = lf < 0 ? end : lf;
        if (le > start && b[le - 1] == '\r') le--;
        SipStatus s = startLine(b, start, le, lf >= 0, m);
        if (s != SipStatus.OK) return s;
        if (lf < 0) return SipStatus.TRUNCATED;
        int bodyStart = headers(b, lf + 1, end, m);
        if (bodyStart >= 0) body(b, bodyStart, end, m);
        if (m.has(SipField.CALL_ID)) return SipStatus.OK;
        return m.headersComplete ? SipStatus.NO_CALL_ID : SipStatus.TRUNCATED;
    }

    // ------------------------------------------------------------------ start line

    private static SipStatus startLine(byte[] b, int from, int to, boolean complete, SipMessage m) {
        m.set(SipField.START_LINE, from, to);
        if (Ascii.startsWithIgnoreCase(b, from, to, SIP_SLASH)) return statusLine(b, from, to, complete, m);
        int me = from;
        while (me < to && Ascii.isToken(b[me])) me++;
        if (me == to) return complete ? SipStatus.NOT_SIP : truncatedOrNot(b, from, to);
        if (b[me] != ' ' && b[me] != '\t') return SipStatus.NOT_SIP;
        // version = last word of the line; the URI is what lies between
        int te = trimSpaces(b, me, to);
        int vs = te;
        while (vs > me && b[vs - 1] != ' ' && b[vs - 1] != '\t') vs--;
        int us = skipSpaces(b, me, vs);
        int ue = trimSpaces(b, us, vs);
        if (ue == us || !Ascii.startsWithIgnoreCase(b, vs, te, SIP_SLASH)) {
            return complete ? SipStatus.NOT_SIP : truncatedOrNot(b, from, to);
        }
        m.request = true;
        m.set(SipField.METHOD, from, me);
        m.set(SipField.REQUEST_URI, us, ue);
        m.set(SipField.VERSION, vs, te);
        m.set(SipField.START_LINE, from, te);
        return SipStatus.OK;
    }

    /**
     * A start line cut by the end of the data: TRUNCATED if it could still become a request
     * line ({@code TOKEN SP ...}), else NOT_SIP.
     */
    private static SipStatus truncatedOrNot(byte[] b, int from, int to) {
        int me = from;
        while (me < to && Ascii.isToken(b[me])) me++;
        return me > from && me < to && b[me] == ' ' ? SipStatus.TRUNCATED : SipStatus.NOT_SIP;
    }

    /** {@code SIP/2.0 SP 3DIGIT [SP reason]}; the reason phrase is optional here. */
    private static SipStatus statusLine(byte[] b, int from, int to, boolean complete, SipMessage m) {
        int ve = from;
        while (ve < to && b[ve] != ' ' && b[ve] != '\t') ve++;
        int c = skipSpaces(b, ve, to);
        if (c + 3 > to) return complete ? SipStatus.MALFORMED : SipStatus.TRUNCATED;
        if (!Ascii.isDigit(b[c]) || !Ascii.isDigit(b[c + 1]) || !Ascii.isDigit(b[c + 2])) return SipStatus.MALFORMED;
        int ce = c + 3;
        if (ce < to && b[ce] != ' ' && b[ce] != '\t') return SipStatus.MALFORMED;
        int code = (b[c] - '0') * 100 + (b[c + 1] - '0') * 10 + (b[c + 2] - '0');
        if (code < 100) return SipStatus.MALFORMED;
        int rs = skipSpaces(b, ce, to);
        int re = trimSpaces(b, rs, to);
        m.request = false;
        m.statusCode = code;
        m.set(SipField.VERSION, from, ve);
        m.set(SipField.REASON, rs, re);
        m.set(SipField.START_LINE, from, re > ce ? re : ce);
        return SipStatus.OK;
    }

    // ------------------------------------------------------------------ headers

    /** Walks the header lines; returns the body offset, or -1 when the blank line never came. */
    private int headers(byte[] b, int pos, int end, SipMessage m) {
        // the header being read; committed when the next one starts, so folding can extend it
        int nOff = -1;
        int nLen = 0;
        int vOff = 0;
        int vEnd = 0;
        SipHeader id = null;
        while (pos < end) {
            int lf = Ascii.indexOf(b, pos, end, (byte) '\n');
            if (lf < 0) break; // last line without line end: possibly cut, ignore it
            int next = lf + 1;
            int le = lf;
            if (le > pos && b[le - 1] == '\r') le--;
            if (le == pos) {
                if (nOff >= 0) commit(b, m, id, nOff, nLen, vOff, vEnd);
                m.headersComplete = true;
                return next;
            }
            if (b[pos] == ' ' || b[pos] == '\t') {
                // continuation line (RFC 3261 §7.3.1): part of the previous value
                if (nOff >= 0) {
                    int ce = trimSpaces(b, pos, le);
                    if (ce > skipSpaces(b, pos, le)) {
                        if (vEnd == vOff) vOff = skipSpaces(b, pos, le);
                        vEnd = ce;
                    }
                } else {
                    m.malformedLines++;
                }
            } else {
                if (nOff >= 0) commit(b, m, id, nOff, nLen, vOff, vEnd);
                nOff = -1;
                int ne = pos;
                while (ne < le && Ascii.isToken(b[ne])) ne++;
                int colon = skipSpaces(b, ne, le);
                if (ne == pos || colon == le || b[colon] != ':') {
                    m.malformedLines++;
                } else {
                    nOff = pos;
                    nLen = ne - pos;
                    id = SipHeader.lookup(b, pos, nLen);
                    vOff = skipSpaces(b, colon + 1, le);
                    vEnd = trimSpaces(b, vOff, le);
                }
            }
            pos = next;
        }
        if (nOff >= 0) commit(b, m, id, nOff, nLen, vOff, vEnd);
        return -1;
    }

    private void commit(byte[] b, SipMessage m, SipHeader id, int nOff, int nLen, int vOff, int vEnd) {
        m.addHeader(id, nOff, nLen, vOff, vEnd - vOff);
        if (customHeader != null && !m.has(SipField.CUSTOM) && customHeader.matches(id, b, nOff, nLen)) {
            m.set(SipField.CUSTOM, vOff, vEnd);
        }
        if (id == null || vEnd == vOff) return;
        switch (id) {
            case CALL_ID -> first(m, SipField.CALL_ID, vOff, vEnd);
            case CSEQ -> {
                if (!m.has(SipField.CSEQ)) cseq(b, vOff, vEnd, m);
            }
            case FROM -> {
                if (!m.has(SipField.FROM)) {
                    m.set(SipField.FROM, vOff, vEnd);
                    m.splitPending = true; // split on first use (SipMessage.index)
                }
            }
            case TO -> {
                if (!m.has(SipField.TO)) {
                    m.set(SipField.TO, vOff, vEnd);
                    m.splitPending = true;
                }
            }
            case VIA -> {
                m.viaCount++;
                if (!m.has(SipField.VIA)) {
                    m.set(SipField.VIA, vOff, vEnd);
                    m.splitPending = true; // the branch is found on first use
                }
            }
            case CONTACT -> first(m, SipField.CONTACT, vOff, vEnd);
            case USER_AGENT -> first(m, SipField.USER_AGENT, vOff, vEnd);
            case SERVER -> first(m, SipField.SERVER, vOff, vEnd);
            case CONTENT_TYPE -> first(m, SipField.CONTENT_TYPE, vOff, vEnd);
            case P_ASSERTED_IDENTITY -> {
                if (!m.has(SipField.P_ASSERTED_IDENTITY)) {
                    m.set(SipField.P_ASSERTED_IDENTITY, vOff, vEnd);
                    assertedUser(b, vOff, vEnd, m);
                }
            }
            case P_PREFERRED_IDENTITY -> first(m, SipField.P_PREFERRED_IDENTITY, vOff, vEnd);
            case CONTENT_LENGTH -> {
                if (m.contentLength < 0) {
                    int de = Ascii.skipDigits(b, vOff, vEnd);
                    // "12abc" is not a length; a missing length means "up to the end of the datagram"
                    if (de == vEnd) m.contentLength = Ascii.parseDigits(b, vOff, vEnd, Integer.MAX_VALUE);
                }
            }
            default -> {}
        }
    }

    private static void first(SipMessage m, SipField f, int from, int to) {
        if (!m.has(f)) m.set(f, from, to);
    }

    private static void setSlice(SipMessage m, SipField f, long slice) {
        if (slice != Ascii.NO_SLICE) m.set(f, Ascii.sliceOff(slice), Ascii.sliceOff(slice) + Ascii.sliceLen(slice));
    }

    /** {@code 1*DIGIT LWS Method}. */
    private static void cseq(byte[] b, int from, int to, SipMessage m) {
        m.set(SipField.CSEQ, from, to);
        m.cseqNumber = Ascii.parseDigits(b, from, to, 0xffffffffL);
        int me = Ascii.skipDigits(b, from, to);
        int ms = Ascii.skipWs(b, me, to);
        if (ms == me && me != from) return; // "1INVITE": no method
        int mEnd = ms;
        while (mEnd < to && Ascii.isToken(b[mEnd])) mEnd++;
        m.set(SipField.CSEQ_METHOD, ms, mEnd);
    }

    /**
     * From/To: {@code [display] <uri>;params} or {@code uri;params}. Display names may be quoted
     * (with backslash escapes) or bare tokens; their bytes are not interpreted, so non-UTF-8
     * names are harmless.
     */
    /** From and To into URI, user, display name and tag, and the top Via's branch (what {@link SipMessage} defers). */
    static void splitDeferred(byte[] b, SipMessage m) {
        if (m.has(SipField.VIA)) {
            int o = m.offset(SipField.VIA);
            setSlice(m, SipField.VIA_BRANCH, Ascii.findParam(b, o, o + m.length(SipField.VIA), BRANCH, (byte) ','));
        }
        if (m.has(SipField.FROM)) {
            int o = m.offset(SipField.FROM);
            address(
                    b,
                    o,
                    o + m.length(SipField.FROM),
                    m,
                    SipField.FROM,
                    SipField.FROM_URI,
                    SipField.FROM_USER,
                    SipField.FROM_DISPLAY,
                    SipField.FROM_TAG);
        }
        if (m.has(SipField.TO)) {
            int o = m.offset(SipField.TO);
            address(
                    b,
                    o,
                    o + m.length(SipField.TO),
                    m,
                    SipField.TO,
                    SipField.TO_URI,
                    SipField.TO_USER,
                    SipField.TO_DISPLAY,
                    SipField.TO_TAG);
        }
    }

    private static void address(
            byte[] b,
            int from,
            int to,
            SipMessage m,
            SipField whole,
            SipField uri,
            SipField user,
            SipField display,
            SipField tag) {
        m.set(whole, from, to);
        int i = from;
        int dOff = -1;
        int dEnd = -1;
        if (b[i] == '"') {
            int q = i + 1;
            while (q < to && b[q] != '"') q += b[q] == '\\' ? 2 : 1;
            dOff = i + 1;
            dEnd = Math.min(q, to);
            i = Math.min(q + 1, to);
        }
        int lt = Ascii.indexOf(b, i, to, (byte) '<');
        int uOff;
        int uEnd;
        int params;
        if (lt >= 0) {
            if (dOff < 0) {
                dOff = from;
                dEnd = Ascii.trimEnd(b, from, lt);
            }
            uOff = Ascii.skipWs(b, lt + 1, to);
            int gt = Ascii.indexOf(b, lt + 1, to, (byte) '>');
            uEnd = Ascii.trimEnd(b, uOff, gt < 0 ? to : gt);
            params = gt < 0 ? to : gt + 1;
        } else {
            uOff = Ascii.skipWs(b, i, to);
            int semi = Ascii.indexOf(b, uOff, to, (byte) ';');
            uEnd = Ascii.trimEnd(b, uOff, semi < 0 ? to : semi);
            params = semi < 0 ? to : semi;
        }
        if (dOff >= 0) m.set(display, dOff, dEnd);
        m.set(uri, uOff, uEnd);
        userPart(b, uOff, uEnd, m, user);
        setSlice(m, tag, Ascii.findParam(b, params, to, TAG, (byte) 0));
    }

    /**
     * The user of the first identity in a P-Asserted-Identity value ({@code "Name" <sip:user@host>,
     * <tel:+123>} or a bare URI): what captagent's send_json reports as {@code sip_pai_user}.
     */
    private static void assertedUser(byte[] b, int from, int to, SipMessage m) {
        int lt = Ascii.indexOf(b, from, to, (byte) '<');
        int uOff;
        int uEnd;
        if (lt >= 0) {
            uOff = lt + 1;
            int gt = Ascii.indexOf(b, uOff, to, (byte) '>');
            uEnd = gt < 0 ? to : gt;
        } else {
            uOff = from;
            int comma = Ascii.indexOf(b, uOff, to, (byte) ',');
            uEnd = comma < 0 ? to : comma;
            int semi = Ascii.indexOf(b, uOff, uEnd, (byte) ';');
            if (semi >= 0) uEnd = semi;
        }
        uOff = Ascii.skipWs(b, uOff, uEnd);
        userPart(b, uOff, Ascii.trimEnd(b, uOff, uEnd), m, SipField.P_ASSERTED_USER);
    }

    /** User of {@code sip:user[:password]@host}, or the number of {@code tel:+123;params}. */
    private static void userPart(byte[] b, int from, int to, SipMessage m, SipField user) {
        int colon = Ascii.indexOf(b, from, to, (byte) ':');
        if (colon < 0) return;
        for (int i = from; i < colon; i++) {
            if (!Ascii.isAlpha(b[i])) return; // not a scheme
        }
        int s = colon + 1;
        int at = Ascii.indexOf(b, s, to, (byte) '@');
        if (at >= 0) {
            int pw = Ascii.indexOf(b, s, at, (byte) ':');
            m.set(user, s, pw < 0 ? at : pw);
        } else if (Ascii.equalsIgnoreCase(b, from, colon - from, TEL)) {
            int semi = Ascii.indexOf(b, s, to, (byte) ';');
            m.set(user, s, semi < 0 ? to : semi);
        }
    }

    // ------------------------------------------------------------------ body

    private static void body(byte[] b, int start, int end, SipMessage m) {
        int avail = end - start;
        int len = avail;
        if (m.contentLength >= 0) {
            if (m.contentLength > avail) m.bodyTruncated = true;
            else len = (int) m.contentLength;
        }
        m.set(SipField.BODY, start, start + len);
        if (!m.has(SipField.CONTENT_TYPE)) {
            m.bodyType = len > 0 ? SipMessage.BodyType.OTHER : SipMessage.BodyType.NONE;
            return;
        }
        int ct = m.offset(SipField.CONTENT_TYPE);
        int cte = ct + m.length(SipField.CONTENT_TYPE);
        if (SdpParser.mediaTypeIs(b, ct, cte, APPLICATION_SDP)) {
            m.bodyType = SipMessage.BodyType.SDP;
            if (len > 0) m.hasSdp = SdpParser.parse(b, start, len, m.sdp());
        } else if (SdpParser.mediaTypeIs(b, ct, cte, MULTIPART_MIXED)) {
            m.bodyType = SipMessage.BodyType.MULTIPART_MIXED;
            long boundary = Ascii.findParam(b, ct, cte, BOUNDARY, (byte) 0);
            int bOff = boundary == Ascii.NO_SLICE ? 0 : Ascii.sliceOff(boundary);
            int bLen = boundary == Ascii.NO_SLICE ? 0 : Ascii.sliceLen(boundary);
            if (len > 0) m.hasSdp = SdpParser.parseMultipart(b, start, len, bOff, bLen, m.sdp());
        } else if (SdpParser.mediaTypeIs(b, ct, cte, VQ_RTCPXR)) {
            m.bodyType = SipMessage.BodyType.VQ_RTCPXR;
            rtcpxrCallId(b, start, start + len, m);
        } else {
            m.bodyType = SipMessage.BodyType.OTHER;
        }
    }

    /** The {@code CallID:} line of an RFC 6035 report (name compared case-insensitively). */
    private static void rtcpxrCallId(byte[] b, int pos, int end, SipMessage m) {
        while (pos < end) {
            int lf = Ascii.indexOf(b, pos, end, (byte) '\n');
            int le = lf < 0 ? end : lf;
            if (Ascii.startsWithIgnoreCase(b, pos, le, CALLID)) {
                int c = skipSpaces(b, pos + CALLID.length, le);
                if (c < le && b[c] == ':') {
                    int vs = Ascii.skipWs(b, c + 1, le);
                    int ve = Ascii.trimEnd(b, vs, le);
                    if (ve > vs) {
                        m.set(SipField.RTCPXR_CALL_ID, vs, ve);
                        return;
                    }
                }
            }
            pos = lf < 0 ? end : lf + 1;
        }
    }

    private static int skipSpaces(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) from++;
        return from;
    }

    private static int trimSpaces(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) to--;
        return to;
    }
}
