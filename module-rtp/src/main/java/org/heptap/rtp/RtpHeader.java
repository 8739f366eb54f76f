package org.heptap.rtp;

/**
 * The fixed RTP header (RFC 3550 §5.1) of the last packet parsed. One instance is reused for
 * every packet, so parsing allocates nothing; fields are only meaningful after
 * {@link RtpHeaderParser#parse} returned {@link RtpResult#RTP}.
 */
public final class RtpHeader {
    int version;
    boolean padding;
    boolean extension;
    int csrcCount;
    boolean marker;
    int payloadType;
    int sequence;
    long timestamp;
    long ssrc;
    int payloadOffset;
    int payloadLength;
    int paddingLength;

    public int version() {
        return version;
    }

    public boolean padding() {
        return padding;
    }

    public boolean extension() {
        return extension;
    }

    public int csrcCount() {
        return csrcCount;
    }

    public boolean marker() {
        return marker;
    }

    public int payloadType() {
        return payloadType;
    }
    /** Sequence number, 0-65535. */
    public int sequence() {
        return sequence;
    }
    /** RTP timestamp, unsigned 32 bits. */
    public long timestamp() {
        return timestamp;
    }
    /** Synchronization source, unsigned 32 bits. */
    public long ssrc() {
        return ssrc;
    }
    /** Where the payload starts in the buffer (after CSRCs and extension). */
    public int payloadOffset() {
        return payloadOffset;
    }
    /** Payload bytes, padding excluded. */
    public int payloadLength() {
        return payloadLength;
    }

    public int paddingLength() {
        return paddingLength;
    }

    void clear() {
        version = 0;
        padding = extension = marker = false;
        csrcCount = payloadType = sequence = payloadOffset = payloadLength = paddingLength = 0;
        timestamp = ssrc = 0;
    }
}
