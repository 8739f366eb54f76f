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
    /**
     * The endpoints of an SDP as an {@link Announcement} the SIP thread hands to the RTP threads
     * (copied: the SDP's buffer is the packet's), or null when it announces none.
     */
    static Announcement announcement(Sdp sdp, String callId, long micros) {
        byte[] scratch = new byte[16];
        byte[][] addresses = new byte[sdp.mediaCount()][];
        int[] ports = new int[sdp.mediaCount()];
        int n = 0;
        for (int i = 0; i < sdp.mediaCount(); i++) {
            int port = sdp.mediaPort(i);
            if (port <= 0 || port > 65535) continue;
            int len = IpLiteral.parse(sdp.buffer(), sdp.addressOffset(i), sdp.addressLength(i), scratch);
            if (len == 0) continue;
            addresses[n] = java.util.Arrays.copyOf(scratch, len);
            ports[n++] = port;
        }
        if (n == 0) return null;
        PayloadTypes types = PayloadTypes.fromSdp(sdp.buffer(), sdp.offset(), sdp.length());
        return Announcement.media(
                callId, micros, java.util.Arrays.copyOf(addresses, n), java.util.Arrays.copyOf(ports, n), types);
    }

    /** Announces the SDP's endpoints to {@code table} at once (one thread); returns how many. */
    public int announce(Sdp sdp, String callId, RtpStreamTable table) {
        Announcement a = announcement(sdp, callId, 0);
        if (a == null) return 0;
        for (int i = 0; i < a.endpoints(); i++) {
            table.announce(a.addresses[i], 0, a.addresses[i].length, a.ports[i], a.types, callId);
        }
        return a.endpoints();
    }
}
