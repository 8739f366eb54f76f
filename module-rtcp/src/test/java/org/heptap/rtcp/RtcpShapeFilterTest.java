package org.heptap.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.heptap.core.capture.BpfFilter;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.PacketSource;
import org.heptap.core.capture.PcapFileSource;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/** The RTCP socket's capture-filter clause, compiled by libpcap and run on frames. */
class RtcpShapeFilterTest {

    @Test
    void rtcp_shape_admits_rtcp_over_ipv4_and_ipv6_and_nothing_else() throws Exception {
        String expr = BpfFilter.builder()
                .portRange(1024, 65535)
                .clause(RtcpModule.RTCP_SHAPE)
                .build();
        byte[] rr = {(byte) 0x81, (byte) 0xc9, 0, 1, 0, 0, 0, 1};
        byte[] xr = {(byte) 0x80, (byte) 0xcf, 0, 1, 0, 0, 0, 1};
        byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 1};
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 65535)) {
            BpfProgram prog =
                    dead.compileFilter(expr, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            try {
                for (boolean v6 : new boolean[] {false, true}) {
                    String ip = v6 ? "IPv6" : "IPv4";
                    for (byte[] rtcp : List.of(rr, xr)) {
                        byte[] f = udpFrame(v6, rtcp);
                        assertTrue(prog.applyFilter(f, f.length, f.length), ip + " RTCP PT " + (rtcp[1] & 0xff));
                    }
                    byte[] f = udpFrame(v6, rtp);
                    assertFalse(prog.applyFilter(f, f.length, f.length), ip + " RTP");
                }
            } finally {
                prog.free();
            }
        }
        assertEquals(10, passing("rtcp.pcap", expr), "rtcp.pcap's 10 RTCP frames and none of its SIP");
    }

    /** Frames of {@code capture} (testdata/corpus) the compiled expression admits. */
    static int passing(String capture, String expr) throws Exception {
        Path file = Path.of(System.getProperty("heptap.testdata", "../testdata"))
                .resolve("corpus")
                .resolve(capture);
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 262144);
                PcapFileSource src = PcapFileSource.open(file)) {
            BpfProgram prog =
                    dead.compileFilter(expr, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            try {
                Frame f = new Frame();
                int n = 0;
                while (src.next(f) == PacketSource.PACKET) {
                    if (prog.applyFilter(f.data, f.wireLength, f.length)) n++;
                }
                return n;
            } finally {
                prog.free();
            }
        }
    }

    static byte[] udpFrame(boolean v6, byte[] payload) {
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
