package org.heptap.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CorrelationTableTest {
    private static final long SECOND = 1_000_000L;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean reg(CorrelationTable t, String addr, int port, String callId, long now) {
        byte[] a = b(addr);
        return t.register(a, 0, a.length, port, b(callId), now);
    }

    private static byte[] ip(int a, int b2, int c, int d) {
        return new byte[] {(byte) a, (byte) b2, (byte) c, (byte) d};
    }

    @Test
    void a_million_offers_keep_a_small_table_at_its_limit_and_count_evictions() {
        CorrelationTable t = new CorrelationTable(1000, 80 * SECOND, false);
        byte[] addr = new byte[4];
        byte[] callId = b("call");
        for (int i = 0; i < 1_000_000; i++) {
            addr[0] = 10;
            addr[1] = (byte) (i >> 16);
            addr[2] = (byte) (i >> 8);
            addr[3] = (byte) i;
            t.registerAddress(addr, 4, 10000 + (i % 50000), callId, i);
            if (i % 100_000 == 0) assertEquals(Math.min(i + 1, 1000), t.size());
        }
        assertEquals(1000, t.size());
        assertEquals(999_000L, t.evictions());
        assertEquals(999_000L, t.counters().get("table-evicted"));
    }

    @Test
    void lookup_tries_source_then_destination_and_entries_expire_after_the_timeout() {
        CorrelationTable t = new CorrelationTable(100, 80 * SECOND, false);
        reg(t, "192.0.2.10", 40011, "call-1", 0);
        byte[] a = ip(192, 0, 2, 10);
        byte[] other = ip(192, 0, 2, 20);
        assertArrayEquals(b("call-1"), t.lookup(a, other, 4, 40011, 50001, null, 10 * SECOND));
        assertArrayEquals(b("call-1"), t.lookup(other, a, 4, 50001, 40011, null, 20 * SECOND));
        assertNull(t.lookup(other, a, 4, 50001, 40012, null, 20 * SECOND));
        // the hit at 20 s refreshed it: alive at 99 s, gone at 101 s
        assertArrayEquals(b("call-1"), t.lookup(a, other, 4, 40011, 1, null, 99 * SECOND));
        assertNull(t.lookup(a, other, 4, 40011, 1, null, 180 * SECOND));
        assertEquals(1L, t.expirations());
    }

    @Test
    void last_sdp_wins_and_ipv6_spelling_does_not_matter() {
        CorrelationTable t = new CorrelationTable(100, 80 * SECOND, false);
        reg(t, "2001:DB8:0:0::10", 5001, "old", 0);
        reg(t, "2001:db8::10", 5001, "new", 1);
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        v6[15] = 0x10;
        assertArrayEquals(b("new"), t.lookup(v6, new byte[16], 16, 5001, 9, null, 2));
        assertEquals(false, reg(t, "pbx.example.org", 5001, "x", 3), "host names are never resolved");
    }

    @Test
    void nat_mode_matches_on_port_then_follows_the_ssrc_to_rebound_ports() {
        byte[] srPlusSdes = CorpusRtcp.hex(RtcpParserTest.WORKED_EXAMPLE); // SSRC 0x11223344, block source 0x55667788
        RtcpCompound c = new RtcpCompound();
        RtcpParser.parse(srPlusSdes, 0, srPlusSdes.length, c);
        byte[] pub = ip(203, 0, 113, 5);
        byte[] peer = ip(198, 51, 100, 9);

        CorrelationTable off = new CorrelationTable(100, 80 * SECOND, false);
        reg(off, "10.0.0.5", 30001, "nat-call", 0);
        assertNull(off.lookup(pub, peer, 4, 30001, 40001, c, 1));

        CorrelationTable t = new CorrelationTable(100, 80 * SECOND, true);
        reg(t, "10.0.0.5", 30001, "nat-call", 0);
        assertArrayEquals(b("nat-call"), t.lookup(pub, peer, 4, 30001, 40001, c, 1));
        // same SSRC from ports the SDP never named
        assertArrayEquals(b("nat-call"), t.lookup(pub, peer, 4, 30901, 40901, c, 2));
        assertEquals(1L, t.counters().get("nat-port-hits"));
        assertEquals(1L, t.counters().get("nat-ssrc-hits"));
    }

    @Test
    void a_bye_removes_the_calls_streams_after_the_grace_and_leaves_other_calls() {
        CorrelationTable t = new CorrelationTable(1000, 80 * SECOND, true, 5 * SECOND);
        byte[] peer = ip(192, 0, 2, 99);
        reg(t, "192.0.2.10", 40001, "call-1", 0);
        reg(t, "192.0.2.20", 50001, "call-1", SECOND);
        reg(t, "192.0.2.30", 60001, "call-2", SECOND);
        assertEquals(2, t.indexedCalls());
        byte[] bye = b("xx call-1 yy");
        assertEquals(true, t.callEnded(bye, 3, 6, 10 * SECOND));
        assertEquals(false, t.callEnded(bye, 3, 6, 10 * SECOND + 1), "the 200 OK to the BYE changes nothing");
        // RTCP trailing the BYE is still correlated within the grace
        assertArrayEquals(b("call-1"), t.lookup(ip(192, 0, 2, 10), peer, 4, 40001, 9, null, 14 * SECOND));
        // after it, call-1's streams (addresses and NAT ports) are gone, call-2's stay
        assertNull(t.lookup(ip(192, 0, 2, 10), peer, 4, 40001, 9, null, 16 * SECOND));
        assertNull(t.lookup(ip(192, 0, 2, 20), peer, 4, 50001, 9, null, 16 * SECOND));
        assertArrayEquals(b("call-2"), t.lookup(ip(192, 0, 2, 30), peer, 4, 60001, 9, null, 16 * SECOND));
        assertEquals(2, t.size(), "call-2's address and port keys");
        assertEquals(1, t.indexedCalls());
        assertEquals(4L, t.counters().get("bye-removed"));
        assertEquals(1L, t.counters().get("calls-ended"));
        assertEquals(false, t.callEnded(b("unknown"), 0, 7, 20 * SECOND));
    }

    @Test
    void the_call_index_follows_evictions_expiry_and_re_registration() {
        CorrelationTable t = new CorrelationTable(2, 80 * SECOND, false, 0);
        reg(t, "192.0.2.1", 1000, "a", 0);
        reg(t, "192.0.2.2", 1000, "b", 0);
        reg(t, "192.0.2.3", 1000, "c", 0); // evicts a
        assertEquals(2, t.indexedCalls());
        reg(t, "192.0.2.2", 1000, "c", SECOND); // b's stream now belongs to c
        assertEquals(1, t.indexedCalls());
        assertEquals(true, t.callEnded(b("c"), 0, 1, 2 * SECOND)); // no grace: gone at once
        assertEquals(0, t.size());
        assertEquals(0, t.indexedCalls());
        reg(t, "192.0.2.4", 1000, "d", 3 * SECOND);
        t.lookup(ip(9, 9, 9, 9), ip(9, 9, 9, 8), 4, 1, 2, null, 100 * SECOND); // d expires
        assertEquals(0, t.size());
        assertEquals(0, t.indexedCalls());
    }
}
