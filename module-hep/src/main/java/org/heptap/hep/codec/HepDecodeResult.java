package org.heptap.hep.codec;

/**
 * Outcome of decoding one buffer: a packet, or the reason there is none. Garbage is a result
 * the caller counts, never an exception.
 *
 * @param length bytes the packet occupied (the v3 total length; the whole input for v1/v2)
 */
public record HepDecodeResult(Status status, HepPacket packet, int length, String detail) {
    public enum Status {
        OK,
        /** Fewer bytes than a header, or than the v3 total length says. */
        TRUNCATED,
        /** Neither {@code HEP3}/{@code EEP3} nor a v1/v2 version byte. */
        NOT_HEP,
        /** v3 total length below 6, or a v1/v2 header length that does not fit the family. */
        BAD_LENGTH,
        /** A v3 chunk shorter than its header or running past the total length, or a bad value size. */
        BAD_CHUNK,
        /** An address family other than IPv4/IPv6. */
        BAD_FAMILY,
        /** A 0x0010 payload that is neither zlib nor gzip, or inflates past the decoder's limit. */
        BAD_COMPRESSED_PAYLOAD,
        /** A 0x0010 payload that inflates past the limit given for this packet ({@link HepDecoder#decode(byte[], int, int, int)}). */
        INFLATE_LIMIT
    }

    public boolean ok() {
        return status == Status.OK;
    }

    static HepDecodeResult ok(HepPacket p, int length) {
        return new HepDecodeResult(Status.OK, p, length, "");
    }

    static HepDecodeResult fail(Status s, String detail) {
        return new HepDecodeResult(s, null, 0, detail);
    }
}
