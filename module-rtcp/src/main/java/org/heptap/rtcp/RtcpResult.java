package org.heptap.rtcp;

/** Outcome of {@link RtcpParser#parse}: every malformed input maps to one of these, never to an exception. */
public enum RtcpResult {
    OK,
    /** Zero-length payload. */
    EMPTY,
    /** Shorter than one 4-byte RTCP header, or a packet's header does not fit. */
    TOO_SHORT,
    /** A packet's version field is not 2. */
    BAD_VERSION,
    /** A packet's length field points past the end of the datagram. */
    TRUNCATED,
    /** A packet's content does not fit its own length (report blocks, SDES items, XR blocks, padding). */
    BAD_LENGTH,
    /** More packets in one compound than {@link RtcpCompound#MAX_PACKETS}. */
    TOO_MANY_PACKETS
}
