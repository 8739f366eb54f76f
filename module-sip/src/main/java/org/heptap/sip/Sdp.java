package org.heptap.sip;

import java.nio.charset.StandardCharsets;

/**
 * The parts of an SDP body that RTCP correlation needs (rtcp-json.md §4), as slices into the
 * parsed buffer. Reused like {@link SipMessage}; filled by {@link SdpParser}.
 *
 * <p>Per media stream ({@code m=} line, at most {@link #MAX_MEDIA}): media type, RTP port, the
 * effective connection address (media-level {@code c=}, else session-level), and the RTCP
 * destination derived per RFC 3605 / RFC 5761:
 * <ul>
 *   <li>{@code a=rtcp-mux}: RTCP on the RTP port;</li>
 *   <li>else {@code a=rtcp:PORT [IN IP4|IP6 ADDR]}: that port, and that address if given
 *       (captagent ignores the address-less form; heptap honours it);</li>
 *   <li>else RTP port + 1 on the connection address.</li>
 * </ul>
 * A disabled stream (port 0) has RTCP port 0. Addresses are as written in the SDP minus any
 * {@code /ttl} or {@code /count} suffix; IPv6 text is not normalised here.
 */
public final class Sdp {
    public static final int MAX_MEDIA = 16;

    private static final byte[] EMPTY = new byte[0];

    private byte[] buf = EMPTY;
    private int off;
    private int len;

    private int sessionAddrOff;
    private int sessionAddrLen;
    private int sessionAddrVersion;

    private int mediaCount;
    private int droppedMedia;
    private final int[] typeOff = new int[MAX_MEDIA];
    private final int[] typeLen = new int[MAX_MEDIA];
    private final int[] port = new int[MAX_MEDIA];
    private final int[] protoOff = new int[MAX_MEDIA];
    private final int[] protoLen = new int[MAX_MEDIA];
    private final int[] addrOff = new int[MAX_MEDIA];
    private final int[] addrLen = new int[MAX_MEDIA];
    private final int[] addrVersion = new int[MAX_MEDIA];
    private final int[] rtcpAttrPort = new int[MAX_MEDIA];
    private final int[] rtcpAddrOff = new int[MAX_MEDIA];
    private final int[] rtcpAddrLen = new int[MAX_MEDIA];
    private final int[] rtcpAddrVersion = new int[MAX_MEDIA];
    private final boolean[] rtcpMux = new boolean[MAX_MEDIA];

    void clear() {
        buf = EMPTY;
        off = 0;
        len = 0;
        sessionAddrOff = 0;
        sessionAddrLen = 0;
        sessionAddrVersion = 0;
        mediaCount = 0;
        droppedMedia = 0;
    }

    void reset(byte[] buf, int off, int len) {
        clear();
        this.buf = buf;
        this.off = off;
        this.len = len;
    }

    void setSessionAddress(int aOff, int aLen, int version) {
        sessionAddrOff = aOff;
        sessionAddrLen = aLen;
        sessionAddrVersion = version;
    }

    /** Adds a media stream; -1 (and counted) when {@link #MAX_MEDIA} are already stored. */
    int addMedia(int tOff, int tLen, int rtpPort, int pOff, int pLen) {
        if (mediaCount == MAX_MEDIA) {
            droppedMedia++;
            return -1;
        }
        int i = mediaCount++;
        typeOff[i] = tOff;
        typeLen[i] = tLen;
        port[i] = rtpPort;
        protoOff[i] = pOff;
        protoLen[i] = pLen;
        addrLen[i] = 0;
        addrOff[i] = 0;
        addrVersion[i] = 0;
        rtcpAttrPort[i] = -1;
        rtcpAddrOff[i] = 0;
        rtcpAddrLen[i] = 0;
        rtcpAddrVersion[i] = 0;
        rtcpMux[i] = false;
        return i;
    }

    void setMediaAddress(int i, int aOff, int aLen, int version) {
        if (addrLen[i] > 0) return; // several c= lines (multicast layers): the first one counts
        addrOff[i] = aOff;
        addrLen[i] = aLen;
        addrVersion[i] = version;
    }

    void setRtcpAttribute(int i, int rtcpPort, int aOff, int aLen, int version) {
        rtcpAttrPort[i] = rtcpPort;
        rtcpAddrOff[i] = aOff;
        rtcpAddrLen[i] = aLen;
        rtcpAddrVersion[i] = version;
    }

    void setRtcpMux(int i) {
        rtcpMux[i] = true;
    }

    // ------------------------------------------------------------------ reading

    /** The SDP text that was parsed (for multipart bodies: the application/sdp part). */
    public int offset() {
        return off;
    }

    public int length() {
        return len;
    }

    public byte[] buffer() {
        return buf;
    }

    public int mediaCount() {
        return mediaCount;
    }
    /** {@code m=} lines beyond {@link #MAX_MEDIA}, ignored. */
    public int droppedMedia() {
        return droppedMedia;
    }

    public boolean hasSessionAddress() {
        return sessionAddrLen > 0;
    }

    public String sessionAddress() {
        return str(sessionAddrOff, sessionAddrLen);
    }

    /** {@code audio}, {@code video}, {@code image}... */
    public String mediaType(int i) {
        return str(typeOff[check(i)], typeLen[i]);
    }

    public String mediaProtocol(int i) {
        return str(protoOff[check(i)], protoLen[i]);
    }
    /** RTP port of the stream; 0 means the stream is disabled. */
    public int mediaPort(int i) {
        return port[check(i)];
    }

    /** Effective connection address: media-level {@code c=}, else session-level. */
    public int addressOffset(int i) {
        return addrLen[check(i)] > 0 ? addrOff[i] : sessionAddrOff;
    }

    public int addressLength(int i) {
        return addrLen[check(i)] > 0 ? addrLen[i] : sessionAddrLen;
    }
    /** 4 or 6 as the {@code c=} line says; 0 when there is no connection address. */
    public int addressVersion(int i) {
        return addrLen[check(i)] > 0 ? addrVersion[i] : sessionAddrVersion;
    }

    public String address(int i) {
        return str(addressOffset(i), addressLength(i));
    }

    public boolean rtcpMux(int i) {
        return rtcpMux[check(i)];
    }
    /** Port of the stream's {@code a=rtcp:} attribute, or -1 when it has none. */
    public int rtcpAttributePort(int i) {
        return rtcpAttrPort[check(i)];
    }

    /** Where RTCP of this stream goes (see class comment); 0 for a disabled stream. */
    public int rtcpPort(int i) {
        int p = port[check(i)];
        if (p == 0) return 0;
        if (rtcpMux[i]) return p;
        if (rtcpAttrPort[i] >= 0) return rtcpAttrPort[i];
        return p + 1 > 65535 ? 0 : p + 1;
    }

    /** RTCP address: the {@code a=rtcp:} address if given, else the connection address. */
    public int rtcpAddressOffset(int i) {
        return rtcpAddrLen[check(i)] > 0 && !rtcpMux[i] ? rtcpAddrOff[i] : addressOffset(i);
    }

    public int rtcpAddressLength(int i) {
        return rtcpAddrLen[check(i)] > 0 && !rtcpMux[i] ? rtcpAddrLen[i] : addressLength(i);
    }

    public int rtcpAddressVersion(int i) {
        return rtcpAddrLen[check(i)] > 0 && !rtcpMux[i] ? rtcpAddrVersion[i] : addressVersion(i);
    }

    public String rtcpAddress(int i) {
        return str(rtcpAddressOffset(i), rtcpAddressLength(i));
    }

    private int check(int i) {
        if (i < 0 || i >= mediaCount) throw new IndexOutOfBoundsException(i);
        return i;
    }

    private String str(int o, int l) {
        return l == 0 ? null : new String(buf, o, l, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sdp[");
        for (int i = 0; i < mediaCount; i++) {
            if (i > 0) sb.append(", ");
            sb.append(mediaType(i))
                    .append(' ')
                    .append(address(i))
                    .append(':')
                    .append(mediaPort(i))
                    .append(" rtcp ")
                    .append(rtcpAddress(i))
                    .append(':')
                    .append(rtcpPort(i));
            if (rtcpMux[i]) sb.append(" mux");
        }
        return sb.append(']').toString();
    }
}
