package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpHeaderParserTest {
    private final RtpHeader h = new RtpHeader();

    static byte[] hex(String s) {
        s = s.replaceAll("[^0-9a-fA-F]", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    @Test
    void reads_every_fixed_header_field() {
        // V=2, M=1, PT=0 (PCMU), seq 0xfffe, ts 0x80000001, ssrc 0xdeadbeef, 3 payload bytes
        byte[] b = hex("80 80 ff fe 80 00 00 01 de ad be ef 01 02 03");
        assertEquals(RtpResult.RTP, RtpHeaderParser.parse(b, 0, b.length, h));
        assertEquals(2, h.version());
        assertTrue(h.marker());
        assertFalse(h.padding());
        assertFalse(h.extension());
        assertEquals(0, h.payloadType());
        assertEquals(0xfffe, h.sequence());
        assertEquals(0x80000001L, h.timestamp());
        assertEquals(0xdeadbeefL, h.ssrc());
        assertEquals(12, h.payloadOffset());
        assertEquals(3, h.payloadLength());
    }

    @Test
    void skips_csrcs_and_extension_and_strips_padding() {
        // V=2 P=1 X=1 CC=2, PT=111; 2 CSRCs; extension 0xbede with 1 word; payload aa bb; padding 2
        byte[] b =
                hex("b2 6f 00 07 00 00 00 10 00 00 00 01 11 11 11 11 22 22 22 22 be de 00 01 01 02 03 04 aa bb 00 02");
        assertEquals(RtpResult.RTP, RtpHeaderParser.parse(b, 0, b.length, h));
        assertTrue(h.padding());
        assertTrue(h.extension());
        assertEquals(2, h.csrcCount());
        assertFalse(h.marker());
        assertEquals(111, h.payloadType());
        assertEquals(7, h.sequence());
        assertEquals(28, h.payloadOffset());
        assertEquals(2, h.payloadLength());
        assertEquals(2, h.paddingLength());
    }

    @Test
    void parses_at_an_offset_inside_a_larger_buffer() {
        byte[] pkt = hex("80 12 00 01 00 00 00 a0 00 00 00 05 99");
        byte[] b = new byte[pkt.length + 10];
        System.arraycopy(pkt, 0, b, 7, pkt.length);
        assertEquals(RtpResult.RTP, RtpHeaderParser.parse(b, 7, pkt.length, h));
        assertEquals(18, h.payloadType());
        assertEquals(5, h.ssrc());
        assertEquals(19, h.payloadOffset());
        assertEquals(1, h.payloadLength());
    }

    @Test
    void tells_rtcp_on_a_mux_port_from_rtp() {
        for (int type = 192; type <= 223; type++) {
            byte[] b = hex("81 00 00 07 11 22 33 44 00 00 00 00 00 00 00 00");
            b[1] = (byte) type;
            assertEquals(RtpResult.RTCP, RtpHeaderParser.parse(b, 0, b.length, h), "type " + type);
        }
        byte[] rr = hex("81 c9 00 07 11 22 33 44");
        assertEquals(RtpResult.RTCP, RtpHeaderParser.parse(rr, 0, rr.length, h));
        // marker + PT 63 (second byte 0xbf = 191) and PT 96 with marker (0xe0 = 224) are RTP
        byte[] b = hex("80 bf 00 01 00 00 00 00 00 00 00 01");
        assertEquals(RtpResult.RTP, RtpHeaderParser.parse(b, 0, b.length, h));
        b[1] = (byte) 0xe0;
        assertEquals(RtpResult.RTP, RtpHeaderParser.parse(b, 0, b.length, h));
        assertEquals(96, h.payloadType());
    }

    @Test
    void refuses_malformed_and_truncated_headers() {
        byte[] good = hex("80 00 00 01 00 00 00 a0 00 00 00 05 99 98");
        assertEquals(RtpResult.EMPTY, RtpHeaderParser.parse(good, 0, 0, h));
        assertEquals(RtpResult.TRUNCATED, RtpHeaderParser.parse(good, 4, good.length, h));
        assertEquals(RtpResult.TRUNCATED, RtpHeaderParser.parse(good, -1, 4, h));
        for (int n = 1; n < 12; n++) {
            assertEquals(RtpResult.TOO_SHORT, RtpHeaderParser.parse(good, 0, n, h), "length " + n);
        }
        byte[] v1 = good.clone();
        v1[0] = 0x40;
        assertEquals(RtpResult.BAD_VERSION, RtpHeaderParser.parse(v1, 0, v1.length, h));
        byte[] csrcs = good.clone();
        csrcs[0] = (byte) 0x81; // one CSRC, but only 2 bytes follow the fixed header
        assertEquals(RtpResult.TOO_SHORT, RtpHeaderParser.parse(csrcs, 0, csrcs.length, h));
        byte[] ext = hex("90 00 00 01 00 00 00 a0 00 00 00 05 be de 00 02 01 02 03 04");
        assertEquals(RtpResult.BAD_EXTENSION, RtpHeaderParser.parse(ext, 0, ext.length, h));
        assertEquals(RtpResult.TOO_SHORT, RtpHeaderParser.parse(ext, 0, 14, h));
        byte[] pad = good.clone();
        pad[0] = (byte) 0xa0;
        pad[pad.length - 1] = 0;
        assertEquals(RtpResult.BAD_PADDING, RtpHeaderParser.parse(pad, 0, pad.length, h));
        pad[pad.length - 1] = 3;
        assertEquals(RtpResult.BAD_PADDING, RtpHeaderParser.parse(pad, 0, pad.length, h));
        pad[pad.length - 1] = 2;
        assertEquals(RtpResult.RTP, RtpHeaderParser.parse(pad, 0, pad.length, h));
        assertEquals(0, h.payloadLength());
    }

    @Test
    void a_refused_packet_leaves_no_fields_of_the_previous_one() {
        byte[] good = hex("80 80 00 01 00 00 00 a0 00 00 00 05");
        RtpHeaderParser.parse(good, 0, good.length, h);
        byte[] bad = Arrays.copyOf(good, 5);
        assertEquals(RtpResult.TOO_SHORT, RtpHeaderParser.parse(bad, 0, bad.length, h));
        assertEquals(0, h.ssrc());
        assertFalse(h.marker());
    }

    @Test
    void parsing_allocates_nothing() {
        byte[] b =
                hex("b2 6f 00 07 00 00 00 10 00 00 00 01 11 11 11 11 22 22 22 22 be de 00 01 01 02 03 04 aa bb 00 02");
        long[] sum = {0};
        long allocated = Allocations.measure(() -> {
            for (int i = 0; i < 10_000; i++) {
                if (RtpHeaderParser.parse(b, 0, b.length, h) == RtpResult.RTP) sum[0] += h.sequence();
            }
        });
        assertEquals(2 * 10_000 * 7, sum[0]);
        assertTrue(allocated < 1000, "allocated " + allocated + " bytes for 10,000 packets");
    }
}
