package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.heptap.core.capture.BpfFilter;
import org.heptap.core.spi.CaptureFilterClause;
import org.heptap.core.testing.ClauseAgreement;
import org.heptap.core.testing.TestFrames;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/** The RTP socket's capture-filter clause, compiled by libpcap and run on frames. */
class RtpShapeFilterTest {

    @Test
    void rtp_shape_admits_rtp_over_ipv4_and_ipv6_and_not_rtcp_sip_or_runts() throws Exception {
        String expr = BpfFilter.builder()
                .portRange(1024, 65535)
                .clause(RtpModule.RTP_SHAPE)
                .build();
        byte[] pcmu = rtp(0);
        byte[] marked = rtp(0x80 | 111); // marker bit, dynamic type: second byte 0xef
        byte[] rr = {(byte) 0x81, (byte) 0xc9, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0};
        byte[] app = {(byte) 0x80, (byte) 0xcc, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0};
        byte[] runt = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 1};
        byte[] sip = "INVITE sip:x SIP/2.0\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 65535)) {
            BpfProgram prog =
                    dead.compileFilter(expr, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            try {
                for (boolean v6 : new boolean[] {false, true}) {
                    String ip = v6 ? "IPv6" : "IPv4";
                    for (byte[] p : List.of(pcmu, marked)) {
                        byte[] f = TestFrames.udp(v6, p);
                        assertTrue(prog.applyFilter(f, f.length, f.length), ip + " RTP PT " + (p[1] & 0xff));
                    }
                    for (byte[] p : List.of(rr, app, runt, sip)) {
                        byte[] f = TestFrames.udp(v6, p);
                        assertFalse(prog.applyFilter(f, f.length, f.length), ip + " not RTP: " + (p[1] & 0xff));
                    }
                }
            } finally {
                prog.free();
            }
        }
    }

    /** A replay has no kernel filter: the clause's test on decoded packets says what its BPF says. */
    @Test
    void the_replay_test_agrees_with_the_bpf() throws Exception {
        CaptureFilterClause clause = new RtpModule().captureFilterClauses().get(0);
        List<byte[]> frames = new ArrayList<>();
        byte[] rtcp = {(byte) 0x81, (byte) 0xc9, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0};
        byte[] eleven = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
        byte[] sip = "INVITE sip:x SIP/2.0\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (boolean v6 : new boolean[] {false, true}) {
            for (byte[] p : List.of(rtp(0), rtp(0x80 | 111), rtp(223), rtp(224), rtcp, eleven, sip, new byte[0])) {
                frames.add(TestFrames.udp(v6, p));
            }
        }
        for (String c : List.of("rtp-quality.pcap", "aaa.pcap", "rtcp.pcap", "sip-udp-v6.pcap")) {
            frames.addAll(ClauseAgreement.corpus(c));
        }
        assertEquals(List.of(), ClauseAgreement.disagreements(clause, frames));
    }

    private static byte[] rtp(int second) {
        byte[] p = new byte[172];
        p[0] = (byte) 0x80;
        p[1] = (byte) second;
        return p;
    }
}
