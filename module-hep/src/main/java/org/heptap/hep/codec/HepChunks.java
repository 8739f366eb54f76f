package org.heptap.hep.codec;

/** Chunk type ids of the generic vendor (0x0000), HEP v3 rev 37; see hep-wire-format.md §3.3. */
public final class HepChunks {
    private HepChunks() {}

    public static final int IP_FAMILY = 0x0001;
    public static final int IP_PROTOCOL = 0x0002;
    public static final int IPV4_SRC = 0x0003;
    public static final int IPV4_DST = 0x0004;
    public static final int IPV6_SRC = 0x0005;
    public static final int IPV6_DST = 0x0006;
    public static final int SRC_PORT = 0x0007;
    public static final int DST_PORT = 0x0008;
    public static final int TIME_SECONDS = 0x0009;
    public static final int TIME_MICROS = 0x000a;
    public static final int PROTOCOL_TYPE = 0x000b;
    public static final int CAPTURE_ID = 0x000c;
    public static final int KEEP_ALIVE = 0x000d;
    public static final int AUTH_KEY = 0x000e;
    public static final int PAYLOAD = 0x000f;
    public static final int COMPRESSED_PAYLOAD = 0x0010;
    public static final int CORRELATION_ID = 0x0011;
    public static final int VLAN = 0x0012;
    public static final int NODE_NAME = 0x0013;
    /** MOS x 100 (uint16), as heplify sends it with RTCP carrying one. */
    public static final int MOS = 0x0020;
    /** R-factor (uint16). */
    public static final int R_FACTOR = 0x0021;

    public static final int TAGS = 0x0026;

    /** Chunk header: vendor id, type id, length (each uint16). */
    public static final int CHUNK_HEADER = 6;
    /** Packet header: {@code HEP3} and the total length. */
    public static final int PACKET_HEADER = 6;
    /** Largest HEP v3 packet: the total length is a uint16 that includes the header. */
    public static final int MAX_HEP3_LENGTH = 0xffff;

    /** Address family values on the wire (Linux numbering, like captagent and heplify). */
    public static final int AF_INET = 2;

    public static final int AF_INET6 = 10;

    /** {@code HEP3} as a big-endian int. */
    public static final int MAGIC_HEP3 = 0x48455033;
    /** {@code EEP3}: allowed by rev 37, accepted by the decoder, never sent. */
    public static final int MAGIC_EEP3 = 0x45455033;
}
