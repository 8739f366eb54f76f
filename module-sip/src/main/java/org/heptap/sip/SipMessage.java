package org.heptap.sip;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One parsed SIP message as offsets into the caller's buffer: nothing is copied while parsing,
 * and Strings are only made when a getter that returns one is called. Instances are reused:
 * {@link SipParser#parse} overwrites everything, so a parser thread needs exactly one.
 *
 * <p>The slices are only meaningful while the parsed buffer still holds the same bytes (for a
 * captured packet: during its plan run).
 */
public final class SipMessage {
    /** Header table size unless configured otherwise; headers beyond it are counted, not stored. */
    public static final int DEFAULT_MAX_HEADERS = 128;

    /** What the Content-Type says the body is. */
    public enum BodyType {
        NONE,
        SDP,
        MULTIPART_MIXED,
        VQ_RTCPXR,
        OTHER
    }

    private static final byte[] EMPTY = new byte[0];

    private byte[] buf = EMPTY;
    private int off;
    private int len;

    SipStatus status = SipStatus.NOT_SIP;
    boolean request;
    int statusCode;
    long cseqNumber = -1;
    long contentLength = -1;
    boolean headersComplete;
    boolean bodyTruncated;
    int viaCount;
    int malformedLines;
    int droppedHeaders;
    BodyType bodyType = BodyType.NONE;
    boolean hasSdp;

    private final int[] fieldOff = new int[SipField.COUNT];
    /**
     * From and To are split into URI, user, display name and tag, and the top Via's branch is
     * found, on first use of one of those fields: sending a message needs none of them, so the
     * parse leaves them for later.
     */
    boolean splitPending;

    private static final boolean[] DEFERRED = new boolean[SipField.COUNT];

    static {
        for (SipField f : new SipField[] {
            SipField.FROM_URI,
            SipField.FROM_USER,
            SipField.FROM_DISPLAY,
            SipField.FROM_TAG,
            SipField.TO_URI,
            SipField.TO_USER,
            SipField.TO_DISPLAY,
            SipField.TO_TAG,
            SipField.VIA_BRANCH
        }) {
            DEFERRED[f.ordinal()] = true;
        }
    }

    private final int[] fieldLen = new int[SipField.COUNT];

    private int[] nameOff = new int[0];
    private int[] nameLen = new int[0];
    private int[] valueOff = new int[0];
    private int[] valueLen = new int[0];
    private SipHeader[] ids = new SipHeader[0];
    private int headerCount;
    /**
     * Which headers the table holds, so that looking for one the message does not have costs no
     * walk of the table (the stock plan's send_rtpstat looks for four statistics headers in every
     * message, which almost never carries one): bit {@code ordinal} for a recognised header, bit
     * {@code min(name length, 63)} of {@link #otherNameLengths} for any other name.
     */
    private int knownPresent;

    private long otherNameLengths;

    private final Sdp sdp = new Sdp();

    /** Clears the previous result; sizes the header table on first use (not per message). */
    void reset(byte[] buf, int off, int len, int maxHeaders) {
        this.buf = buf;
        this.off = off;
        this.len = len;
        status = SipStatus.NOT_SIP;
        request = false;
        statusCode = 0;
        cseqNumber = -1;
        contentLength = -1;
        headersComplete = false;
        bodyTruncated = false;
        viaCount = 0;
        malformedLines = 0;
        droppedHeaders = 0;
        bodyType = BodyType.NONE;
        hasSdp = false;
        Arrays.fill(fieldLen, 0);
        Arrays.fill(fieldOff, 0);
        splitPending = false;
        if (ids.length != maxHeaders) {
            nameOff = new int[maxHeaders];
            nameLen = new int[maxHeaders];
            valueOff = new int[maxHeaders];
            valueLen = new int[maxHeaders];
            ids = new SipHeader[maxHeaders];
        }
        headerCount = 0;
        knownPresent = 0;
        otherNameLengths = 0;
        sdp.clear();
    }

    void set(SipField f, int from, int to) {
        fieldOff[f.ordinal()] = from;
        fieldLen[f.ordinal()] = Math.max(0, to - from);
    }

    /** Stores a header; false (and counted) when the table is full. */
    boolean addHeader(SipHeader id, int nOff, int nLen, int vOff, int vLen) {
        if (headerCount == ids.length) {
            droppedHeaders++;
            return false;
        }
        ids[headerCount] = id;
        nameOff[headerCount] = nOff;
        nameLen[headerCount] = nLen;
        valueOff[headerCount] = vOff;
        valueLen[headerCount] = vLen;
        headerCount++;
        if (id != null) knownPresent |= 1 << id.ordinal();
        else otherNameLengths |= lengthBit(nLen);
        return true;
    }

    // ------------------------------------------------------------------ message

    public SipStatus status() {
        return status;
    }

    public boolean isOk() {
        return status == SipStatus.OK;
    }

    public boolean isRequest() {
        return request && status != SipStatus.NOT_SIP;
    }

    public boolean isResponse() {
        return !request && statusCode != 0;
    }
    /** Status code of a response; 0 for requests and when nothing was parsed. */
    public int statusCode() {
        return statusCode;
    }
    /** CSeq sequence number, or -1 when absent or not a number. */
    public long cseqNumber() {
        return cseqNumber;
    }
    /** Content-Length as sent, or -1 when absent or not a number. */
    public long contentLength() {
        return contentLength;
    }
    /** True if the blank line ending the headers was seen. */
    public boolean headersComplete() {
        return headersComplete;
    }
    /** True if Content-Length announced more bytes than the buffer holds (the body is cut). */
    public boolean bodyTruncated() {
        return bodyTruncated;
    }
    /** Number of Via headers (each header line counts once, however many values it lists). */
    public int viaCount() {
        return viaCount;
    }
    /** Header lines that were skipped because they are not {@code name: value}. */
    public int malformedLines() {
        return malformedLines;
    }
    /** Headers that did not fit in the header table (still used for field extraction). */
    public int droppedHeaders() {
        return droppedHeaders;
    }

    public BodyType bodyType() {
        return bodyType;
    }

    /** True if the body carried SDP (directly or as a multipart/mixed part): see {@link #sdp()}. */
    public boolean hasSdp() {
        return hasSdp;
    }

    /** The parsed SDP; meaningful only when {@link #hasSdp()}. */
    public Sdp sdp() {
        return sdp;
    }

    /** The parsed buffer and range. */
    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return off;
    }

    public int length() {
        return len;
    }

    // ------------------------------------------------------------------ fields

    public boolean has(SipField f) {
        return fieldLen[index(f)] > 0;
    }

    public int offset(SipField f) {
        return fieldOff[index(f)];
    }

    public int length(SipField f) {
        return fieldLen[index(f)];
    }

    /** The field's slot, after the deferred splitting if the field is one of its results. */
    private int index(SipField f) {
        int i = f.ordinal();
        if (splitPending && DEFERRED[i]) {
            splitPending = false;
            SipParser.splitDeferred(buf, this);
        }
        return i;
    }

    /**
     * The field as a String (UTF-8; invalid bytes become U+FFFD; folded line breaks become one
     * space), or null when absent. Allocates: not for the per-packet path.
     */
    public String text(SipField f) {
        int i = index(f);
        int l = fieldLen[i];
        if (l == 0) return null;
        return f == SipField.BODY
                ? new String(buf, fieldOff[i], l, StandardCharsets.UTF_8)
                : decodeValue(buf, fieldOff[i], l);
    }

    /** True if the field is present and starts with {@code prefix} (byte-wise, case-sensitive). */
    public boolean startsWith(SipField f, byte[] prefix) {
        int i = index(f);
        int l = fieldLen[i];
        return l > 0 && regionEquals(fieldOff[i], l, prefix);
    }

    /** True if the field is present and ends with {@code suffix} (byte-wise, case-sensitive). */
    public boolean endsWith(SipField f, byte[] suffix) {
        int i = index(f);
        int l = fieldLen[i];
        return l > 0 && suffix.length <= l && regionEquals(fieldOff[i] + l - suffix.length, suffix.length, suffix);
    }

    private boolean regionEquals(int at, int avail, byte[] what) {
        if (what.length > avail) return false;
        for (int i = 0; i < what.length; i++) {
            if (buf[at + i] != what[i]) return false;
        }
        return true;
    }

    public String method() {
        return text(SipField.METHOD);
    }

    public String requestUri() {
        return text(SipField.REQUEST_URI);
    }

    public String callId() {
        return text(SipField.CALL_ID);
    }

    public String cseqMethod() {
        return text(SipField.CSEQ_METHOD);
    }

    public String fromUser() {
        return text(SipField.FROM_USER);
    }

    public String toUser() {
        return text(SipField.TO_USER);
    }

    public String userAgent() {
        return text(SipField.USER_AGENT);
    }

    // ------------------------------------------------------------------ header table

    /** The bit of {@link #otherNameLengths} for names of {@code length} bytes. */
    static long lengthBit(int length) {
        return 1L << Math.min(length, 63);
    }

    public int headerCount() {
        return headerCount;
    }
    /** The recognised header at {@code i}, or null for names heptap does not know. */
    public SipHeader headerId(int i) {
        return ids[check(i)];
    }

    public int headerNameOffset(int i) {
        return nameOff[check(i)];
    }

    public int headerNameLength(int i) {
        return nameLen[check(i)];
    }

    public int headerValueOffset(int i) {
        return valueOff[check(i)];
    }

    public int headerValueLength(int i) {
        return valueLen[check(i)];
    }

    public String headerName(int i) {
        return new String(buf, nameOff[check(i)], nameLen[i], StandardCharsets.ISO_8859_1);
    }

    public String headerValue(int i) {
        return decodeValue(buf, valueOff[check(i)], valueLen[i]);
    }

    private int check(int i) {
        if (i < 0 || i >= headerCount) throw new IndexOutOfBoundsException(i);
        return i;
    }

    /** Index of the first header at or after {@code from} called {@code name}, or -1. No allocation. */
    public int findHeader(HeaderName name, int from) {
        SipHeader known = name.known();
        if (known != null ? (knownPresent & (1 << known.ordinal())) == 0 : (otherNameLengths & name.lengthBit()) == 0)
            return -1;
        for (int i = Math.max(0, from); i < headerCount; i++) {
            if (name.matches(ids[i], buf, nameOff[i], nameLen[i])) return i;
        }
        return -1;
    }

    /** Value of the first header called {@code name} (compact forms count), or null. Allocates. */
    public String header(String name) {
        if (!HeaderName.isValid(name)) return null;
        int i = findHeader(HeaderName.of(name), 0);
        return i < 0 ? null : headerValue(i);
    }

    /** Header value as text: folded line breaks (CR/LF plus indentation) collapse to one space. */
    static String decodeValue(byte[] b, int off, int len) {
        int end = off + len;
        int brk = -1;
        for (int i = off; i < end; i++) {
            if (b[i] == '\r' || b[i] == '\n') {
                brk = i;
                break;
            }
        }
        if (brk < 0) return new String(b, off, len, StandardCharsets.UTF_8);
        byte[] out = new byte[len];
        int n = 0;
        for (int i = off; i < end; ) {
            if (b[i] == '\r' || b[i] == '\n') {
                while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t')) n--;
                out[n++] = ' ';
                i = Ascii.skipWs(b, i, end);
            } else {
                out[n++] = b[i++];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        if (status == SipStatus.NOT_SIP) return "SipMessage[NOT_SIP]";
        return "SipMessage[" + status + " " + text(SipField.START_LINE) + " call-id=" + text(SipField.CALL_ID)
                + " headers=" + headerCount + (hasSdp ? " sdp=" + sdp : "") + "]";
    }
}
