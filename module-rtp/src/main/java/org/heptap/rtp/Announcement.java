package org.heptap.rtp;

/**
 * What the SIP thread tells the RTP threads: the media endpoints one SDP offer or answer
 * announced for a call, or that the call ended (BYE or its response). Made once per SDP on the
 * SIP side, so the RTP side only applies it: addresses are 4 or 16 bytes, ports 1-65535.
 */
final class Announcement {
    final String callId;
    final long micros;
    final boolean bye;
    final byte[][] addresses;
    final int[] ports;
    final PayloadTypes types;

    private Announcement(String callId, long micros, boolean bye, byte[][] addresses, int[] ports, PayloadTypes types) {
        this.callId = callId;
        this.micros = micros;
        this.bye = bye;
        this.addresses = addresses;
        this.ports = ports;
        this.types = types;
    }

    static Announcement media(String callId, long micros, byte[][] addresses, int[] ports, PayloadTypes types) {
        return new Announcement(callId, micros, false, addresses, ports, types);
    }

    static Announcement bye(String callId, long micros) {
        return new Announcement(callId, micros, true, new byte[0][], new int[0], PayloadTypes.STATIC);
    }

    int endpoints() {
        return ports.length;
    }
}
