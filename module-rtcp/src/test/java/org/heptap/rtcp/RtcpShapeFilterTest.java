package org.heptap.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.heptap.core.capture.BpfFilter;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.PacketSource;
import org.heptap.core.capture.PcapFileSource;
import org.heptap.core.spi.CaptureFilterClause;
import org.heptap.core.testing.ClauseAgreement;
import org.heptap.core.testing.TestFrames;
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
                        byte[] f = TestFrames.udp(v6, rtcp);
                        assertTrue(prog.applyFilter(f, f.length, f.length), ip + " RTCP PT " + (rtcp[1] & 0xff));
                    }
                    byte[] f = TestFrames.udp(v6, rtp);
                    assertFalse(prog.applyFilter(f, f.length, f.length), ip + " RTP");
                }
            } finally {
                prog.free();
            }
        }
        assertEquals(10, passing("rtcp.pcap", expr), "rtcp.pcap's 10 RTCP frames and none of its SIP");
    }

    /** A replay has no kernel filter: the clause's test on decoded packets says what its BPF says. */
    @Test
    void the_replay_test_agrees_with_the_bpf() throws Exception {
        CaptureFilterClause clause = new RtcpModule().captureFilterClauses().get(0);
        List<byte[]> frames = new ArrayList<>();
        byte[] rr = {(byte) 0x81, (byte) 0xc9, 0, 1, 0, 0, 0, 1};
        byte[] sr = {(byte) 0x80, (byte) 0xc8};
        byte[] below = {(byte) 0x80, (byte) 0xc7, 0, 1};
        byte[] above = {(byte) 0x80, (byte) 0xd0, 0, 1};
        byte[] version1 = {(byte) 0x41, (byte) 0xc9, 0, 1};
        byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 1};
        for (boolean v6 : new boolean[] {false, true}) {
            for (byte[] p : List.of(rr, sr, below, above, version1, rtp, new byte[] {(byte) 0x80}, new byte[0])) {
                frames.add(TestFrames.udp(v6, p));
            }
        }
        for (String c : List.of("rtcp.pcap", "rtcp-nat.pcap", "rtcp-malformed.pcap", "aaa.pcap", "rtp-quality.pcap")) {
            frames.addAll(ClauseAgreement.corpus(c));
        }
        assertEquals(List.of(), ClauseAgreement.disagreements(clause, frames));
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
                    if (prog.applyFilter(
                            java.util.Arrays.copyOfRange(f.data, f.offset, f.offset + f.length),
                            f.wireLength,
                            f.length)) n++;
                }
                return n;
            } finally {
                prog.free();
            }
        }
    }
}
