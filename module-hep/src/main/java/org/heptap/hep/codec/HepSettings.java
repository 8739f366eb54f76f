package org.heptap.hep.codec;

/**
 * What a transport profile adds to every packet it encodes.
 *
 * @param version   HEP version 1, 2 or 3
 * @param captureId capture agent id: uint32 chunk 0x000c in v3, the low 16 bits in v2, unused in v1
 * @param password  auth key chunk 0x000e (v3); null = no chunk, "" = an empty chunk (like captagent)
 * @param nodeName  node name chunk 0x0013 (v3); null or empty = no chunk
 * @param compress  put the payload zlib-compressed in chunk 0x0010 (v3 only)
 */
public record HepSettings(int version, long captureId, String password, String nodeName, boolean compress) {
    public HepSettings {
        if (version < 1 || version > 3)
            throw new IllegalArgumentException("HEP version must be 1, 2 or 3, not " + version);
        if (captureId < 0 || captureId > 0xffffffffL)
            throw new IllegalArgumentException("capture id must fit in 32 bits: " + captureId);
        if (compress && version != 3) throw new IllegalArgumentException("compression needs HEP v3");
    }

    /** v3, no password, no node name, no compression. */
    public static HepSettings v3(long captureId) {
        return new HepSettings(3, captureId, null, null, false);
    }
}
