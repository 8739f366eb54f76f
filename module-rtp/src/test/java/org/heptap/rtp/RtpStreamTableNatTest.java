package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * NAT matching: SDP names private addresses, media comes from public ones. A stream is matched
 * on its port, then its SSRC is learnt so it is still recognised after the NAT moves it to other
 * ports; without NAT matching such media is only counted. Ending the call forgets it all.
 */
class RtpStreamTableNatTest {
    private final RtpHeader h = new RtpHeader();
    private final byte[] pkt = new byte[32];

    private static byte[] ip(String s) throws Exception {
        return InetAddress.getByName(s).getAddress();
    }

    private int packet(RtpStreamTable t, String src, int sport, String dst, int dport, long ssrc) throws Exception {
        pkt[0] = (byte) 0x80;
        pkt[8] = (byte) (ssrc >> 24);
        pkt[9] = (byte) (ssrc >> 16);
        pkt[10] = (byte) (ssrc >> 8);
        pkt[11] = (byte) ssrc;
        assertEquals(RtpResult.RTP, RtpHeaderParser.parse(pkt, 0, pkt.length, h));
        return t.packet(ip(src), ip(dst), 4, sport, dport, h, 0, pkt.length);
    }

    private static RtpStreamTable behindNat(boolean nat) throws Exception {
        RtpStreamTable t = new RtpStreamTable(16, 16, nat);
        t.announce(ip("10.0.0.5"), 0, 4, 40000, PayloadTypes.STATIC, "nat-call");
        return t;
    }

    @Test
    void media_from_the_public_side_matches_on_port_then_by_its_learnt_ssrc() throws Exception {
        RtpStreamTable t = behindNat(true);
        int first = packet(t, "198.51.100.6", 50000, "203.0.113.5", 40000, 77);
        assertNotEquals(KeyedSlots.NONE, first);
        assertEquals("nat-call", t.callId(first));
        assertEquals(1, t.portMatches());
        // the NAT rebinds: neither port is the SDP's any more, the SSRC still is the stream's
        int rebound = packet(t, "198.51.100.6", 50002, "203.0.113.5", 61000, 77);
        assertNotEquals(KeyedSlots.NONE, rebound);
        assertEquals("nat-call", t.callId(rebound));
        assertEquals(1, t.ssrcMatches());
        // another SSRC on other ports belongs to nobody
        assertEquals(KeyedSlots.NONE, packet(t, "198.51.100.6", 50004, "203.0.113.5", 61002, 78));
        assertEquals(1, t.unannounced());
        // the call ends: its endpoint, port and SSRC are forgotten
        assertEquals(3, t.forgetCall("nat-call"));
        t.remove(first);
        t.remove(rebound);
        assertEquals(KeyedSlots.NONE, packet(t, "198.51.100.6", 50000, "203.0.113.5", 40000, 77));
    }

    @Test
    void without_nat_matching_the_public_side_is_only_counted() throws Exception {
        RtpStreamTable t = behindNat(false);
        assertEquals(KeyedSlots.NONE, packet(t, "198.51.100.6", 50000, "203.0.113.5", 40000, 77));
        assertEquals(1, t.unannounced());
        assertEquals(0, t.portMatches());
    }
}
