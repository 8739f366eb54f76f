package org.heptap.core.testing;

/** Ethernet frames built by hand for tests of capture filters and decoders. */
public final class TestFrames {
    private TestFrames() {}

    /**
     * An Ethernet frame with one UDP datagram from port 40000 to 50000 carrying {@code payload}:
     * IPv4 127.0.0.1 → 127.0.0.1, or with {@code v6} ::1 → ::1 (no extension headers).
     */
    public static byte[] udp(boolean v6, byte[] payload) {
        int ip = v6 ? 40 : 20;
        byte[] f = new byte[14 + ip + 8 + payload.length];
        f[12] = (byte) (v6 ? 0x86 : 0x08);
        f[13] = (byte) (v6 ? 0xdd : 0x00);
        int udpLen = 8 + payload.length;
        if (v6) {
            f[14] = 0x60;
            f[18] = (byte) (udpLen >> 8);
            f[19] = (byte) udpLen;
            f[20] = 17;
            f[21] = 64;
            f[14 + 8 + 15] = 1; // ::1
            f[14 + 24 + 15] = 1;
        } else {
            f[14] = 0x45;
            f[16] = (byte) ((ip + udpLen) >> 8);
            f[17] = (byte) (ip + udpLen);
            f[22] = 64;
            f[23] = 17;
            f[26] = 127;
            f[29] = 1;
            f[30] = 127;
            f[33] = 1;
        }
        int u = 14 + ip;
        f[u] = (byte) (40000 >> 8);
        f[u + 1] = (byte) 40000;
        f[u + 2] = (byte) (50000 >> 8);
        f[u + 3] = (byte) 50000;
        f[u + 4] = (byte) (udpLen >> 8);
        f[u + 5] = (byte) udpLen;
        System.arraycopy(payload, 0, f, u + 8, payload.length);
        return f;
    }
}
