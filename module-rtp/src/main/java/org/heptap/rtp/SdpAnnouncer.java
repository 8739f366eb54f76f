package org.heptap.rtp;

import org.heptap.sip.IpLiteral;
import org.heptap.sip.Sdp;

/**
 * Announces the RTP endpoints of an SDP offer or answer to an {@link RtpStreamTable}: every
 * enabled audio or video {@code m=} line's connection address and port, with the payload types
 * of the SDP's {@code a=rtpmap} lines and the call's Call-ID. The SDP is the one module-sip
 * already parsed and the address literal is read by the same {@link IpLiteral} the RTCP
 * correlation table uses; with {@code a=rtcp-mux} the RTP port carries RTCP as well, which the
 * header parser sorts out per packet.
 */
public final class SdpAnnouncer {
    private final byte[] address = new byte[16];

    /** Returns how many endpoints were announced. */
    public int announce(Sdp sdp, String callId, RtpStreamTable table) {
        PayloadTypes types = null;
        int n = 0;
        for (int i = 0; i < sdp.mediaCount(); i++) {
            int port = sdp.mediaPort(i);
            if (port <= 0 || port > 65535) continue;
            int len = IpLiteral.parse(sdp.buffer(), sdp.addressOffset(i), sdp.addressLength(i), address);
            if (len == 0) continue;
            if (types == null) types = PayloadTypes.fromSdp(sdp.buffer(), sdp.offset(), sdp.length());
            table.announce(address, 0, len, port, types, callId);
            n++;
        }
        return n;
    }
}
