package org.heptap.rtp;

/** Outcome of {@link RtpHeaderParser#parse}: every malformed input maps to one of these, never to an exception. */
public enum RtpResult {
    /** A well-formed RTP packet; the header holds its fields. */
    RTP,
    /** An RTCP packet sharing the port (rtcp-mux, RFC 5761 §4: second byte 192-223); not RTP. */
    RTCP,
    /** Zero-length payload. */
    EMPTY,
    /** Shorter than the 12-byte fixed header, or the CSRC list or extension header does not fit. */
    TOO_SHORT,
    /** The version field is not 2. */
    BAD_VERSION,
    /** Offset or length lie outside the buffer. */
    TRUNCATED,
    /** The header extension's length points past the end of the datagram. */
    BAD_EXTENSION,
    /** The padding count is zero or longer than what follows the header. */
    BAD_PADDING
}
