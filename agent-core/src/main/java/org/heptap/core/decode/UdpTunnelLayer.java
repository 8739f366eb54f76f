package org.heptap.core.decode;

/**
 * Mirrors carried in UDP: VXLAN (RFC 7348, port 4789) and HP/Aruba ERM (port 7932). Both wrap a
 * whole Ethernet frame behind a fixed header.
 */
final class UdpTunnelLayer {
    private UdpTunnelLayer() {}

    static final int VXLAN_PORT = 4789;
    static final int HP_ERM_PORT = 7932;
    private static final int VXLAN_HEADER = 8;
    private static final int VXLAN_VALID_VNI = 0x08;
    private static final int HP_ERM_HEADER = 12;

    static boolean isTunnelPort(int dstPort) {
        return dstPort == VXLAN_PORT || dstPort == HP_ERM_PORT;
    }

    /**
     * For a UDP payload sent to a tunnel port: sets {@code c.offset} to the inner Ethernet frame and
     * returns null, or returns why there is none.
     */
    static DecodeResult decode(PacketCursor c) {
        int o = c.payloadOffset;
        int header = c.dstPort == VXLAN_PORT ? VXLAN_HEADER : HP_ERM_HEADER;
        if (c.payloadWireEnd - o <= header) return DecodeResult.MALFORMED;
        if (c.captured(o) < header) return DecodeResult.TRUNCATED;
        if (c.dstPort == VXLAN_PORT && (c.u8(o) & VXLAN_VALID_VNI) == 0) return DecodeResult.MALFORMED;
        c.enter(o + header, c.payloadWireEnd);
        return null;
    }
}
