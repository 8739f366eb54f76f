package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class RtpStreamTableTest {
    private static final byte[] ALICE = ip("192.0.2.10");
    private static final byte[] BOB = ip("192.0.2.20");
    private static final byte[] STRAY = ip("198.51.100.7");
    private static final byte[] ALICE6 = ip("2001:db8::10");
    private static final byte[] BOB6 = ip("2001:db8::20");

    private final RtpHeader h = new RtpHeader();
    private final byte[] pkt = new byte[32];

    private static byte[] ip(String s) {
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private RtpHeader header(int seq, long ssrc) {
        pkt[0] = (byte) 0x80;
        pkt[3] = (byte) seq;
        pkt[2] = (byte) (seq >> 8);
        pkt[7] = (byte) (seq * 160);
        pkt[6] = (byte) (seq * 160 >> 8);
        pkt[8] = (byte) (ssrc >> 24);
        pkt[9] = (byte) (ssrc >> 16);
        pkt[10] = (byte) (ssrc >> 8);
        pkt[11] = (byte) ssrc;
        assertEquals(RtpResult.RTP, RtpHeaderParser.parse(pkt, 0, pkt.length, h));
        return h;
    }

    @Test
    void offer_and_answer_endpoints_start_streams_in_both_directions_and_strays_are_only_counted() {
        RtpStreamTable t = new RtpStreamTable(16, 16);
        t.announce(ALICE, 0, 4, 40000, PayloadTypes.STATIC, "call-1");
        t.announce(BOB, 0, 4, 50000, PayloadTypes.STATIC, "call-1");
        int a = t.packet(ALICE, BOB, 4, 40000, 50000, header(1, 11), 0, 32);
        int b = t.packet(BOB, ALICE, 4, 50000, 40000, header(1, 22), 0, 32);
        assertEquals(a, t.packet(ALICE, BOB, 4, 40000, 50000, header(2, 11), 20_000, 32));
        assertNotEquals(a, b);
        assertEquals(2, t.stats(a).packets());
        assertEquals("call-1", t.callId(b));
        assertEquals(40000, t.srcPort(a));
        assertEquals(50000, t.dstPort(a));
        assertEquals(KeyedSlots.NONE, t.packet(STRAY, ip("198.51.100.8"), 4, 30000, 30002, header(1, 33), 0, 32));
        assertEquals(1, t.unannounced());
        assertEquals(2, t.streams());
    }

    @Test
    void a_new_ssrc_is_a_new_stream_and_ipv6_works_alike() {
        RtpStreamTable t = new RtpStreamTable(16, 16);
        t.announce(BOB6, 0, 16, 54000, PayloadTypes.STATIC, "call-6");
        int first = t.packet(ALICE6, BOB6, 16, 44000, 54000, header(1, 1), 0, 32);
        int second = t.packet(ALICE6, BOB6, 16, 44000, 54000, header(1, 2), 0, 32);
        assertNotEquals(KeyedSlots.NONE, first);
        assertNotEquals(first, second);
        assertEquals(2, t.stats(second).ssrc());
        assertEquals("call-6", t.callId(first));
    }

    @Test
    void when_full_the_oldest_stream_is_evicted_and_counted() {
        RtpStreamTable t = new RtpStreamTable(3, 4);
        t.announce(BOB, 0, 4, 50000, PayloadTypes.STATIC, "c");
        int[] slots = new int[4];
        for (int i = 0; i < 4; i++) slots[i] = t.packet(ALICE, BOB, 4, 40000 + i, 50000, header(1, i), 0, 32);
        assertEquals(1, t.evictions());
        assertEquals(3, t.streams());
        assertEquals(slots[0], slots[3], "the oldest stream's slot is reused");
        // the evicted stream starts over when it comes back; the others are still there
        assertEquals(slots[1], t.packet(ALICE, BOB, 4, 40001, 50000, header(2, 1), 0, 32));
        assertEquals(2, t.stats(slots[1]).packets());
        t.remove(slots[2]);
        assertEquals(2, t.streams());
        assertEquals(slots[2], t.packet(ALICE, BOB, 4, 40009, 50000, header(1, 9), 0, 32));
        assertEquals(1, t.evictions());
    }

    @Test
    void many_streams_in_and_out_keep_every_survivor_findable() {
        RtpStreamTable t = new RtpStreamTable(64, 4);
        t.announce(BOB, 0, 4, 50000, PayloadTypes.STATIC, "c");
        for (int i = 0; i < 5000; i++) t.packet(ALICE, BOB, 4, 1000 + i, 50000, header(1, i), 0, 32);
        assertEquals(5000 - 64, t.evictions());
        for (int i = 5000 - 64; i < 5000; i++) {
            int s = t.packet(ALICE, BOB, 4, 1000 + i, 50000, header(2, i), 0, 32);
            assertEquals(2, t.stats(s).packets(), "stream " + i);
        }
        assertEquals(5000 - 64, t.evictions());
    }

    @Test
    void a_tracked_stream_costs_at_most_1_kb_and_its_packets_nothing() {
        int n = 10_000;
        RtpStreamTable[] table = new RtpStreamTable[1];
        long build = Allocations.measure(() -> {
            table[0] = new RtpStreamTable(n, n);
            for (int i = 0; i < n; i++) {
                byte[] bob = {(byte) 10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
                table[0].announce(bob, 0, 4, 50000, PayloadTypes.STATIC, "call");
                table[0].packet(ALICE, bob, 4, 40000, 50000, header(1, i), 0, 32);
            }
        });
        assertEquals(n, table[0].streams());
        assertTrue(build / n <= 1024, (build / n) + " bytes per stream");
        byte[] bob0 = {10, 0, 0, 0};
        long perPacket = Allocations.measure(() -> {
            for (int i = 0; i < n; i++) table[0].packet(ALICE, bob0, 4, 40000, 50000, header(1 + i, 0), i, 32);
        });
        assertTrue(perPacket < 1000, perPacket + " bytes for " + n + " packets");
    }

    private static byte[] host(int c) {
        return new byte[] {10, (byte) (c >> 16), (byte) (c >> 8), (byte) c};
    }

    /**
     * Ending a call (its BYE) visits its own endpoints only, not every endpoint slot; every other
     * call's media is still recognised.
     */
    @Test
    void forgetting_a_call_visits_only_its_own_endpoints_and_leaves_the_others() {
        int calls = 5000;
        RtpStreamTable t = new RtpStreamTable(16, 32768);
        for (int c = 0; c < calls; c++) {
            t.announce(host(c), 0, 4, 40000, PayloadTypes.STATIC, "call-" + c);
            t.announce(host(c), 0, 4, 40002, PayloadTypes.STATIC, "call-" + c);
        }
        assertEquals(2, t.forgetCall("call-77"));
        assertEquals(2, t.forgetVisits(), "the call's two endpoints, not the table's 32768 slots");
        assertEquals(0, t.forgetCall("call-77"));
        assertEquals(2 * calls - 2, t.endpoints());
        assertEquals(calls - 1, t.calls());
        assertEquals(KeyedSlots.NONE, t.packet(STRAY, host(77), 4, 30000, 40000, header(1, 77), 0, 32));
        for (int c : new int[] {0, 76, 78, calls - 1}) {
            assertNotEquals(
                    KeyedSlots.NONE, t.packet(STRAY, host(c), 4, 30000, 40002, header(1, c), 0, 32), "call " + c);
        }
    }

    /** An endpoint announced again by another call moves to it; an evicted one leaves its call. */
    @Test
    void re_announced_and_evicted_endpoints_leave_their_old_call() {
        RtpStreamTable t = new RtpStreamTable(16, 4);
        t.announce(host(1), 0, 4, 40000, PayloadTypes.STATIC, "a");
        t.announce(host(1), 0, 4, 40002, PayloadTypes.STATIC, "a");
        t.announce(host(1), 0, 4, 40000, PayloadTypes.STATIC, "b"); // now b's
        t.announce(host(2), 0, 4, 40000, PayloadTypes.STATIC, "b");
        assertEquals(1, t.forgetCall("a"));
        t.announce(host(1), 0, 4, 40002, PayloadTypes.STATIC, "a");
        t.announce(host(3), 0, 4, 40000, PayloadTypes.STATIC, "c");
        t.announce(host(3), 0, 4, 40002, PayloadTypes.STATIC, "c"); // full: evicts b's host(1):40000
        assertEquals(1, t.endpointEvictions());
        assertEquals(1, t.forgetCall("b"), "host(2) only: host(1):40000 was evicted");
        assertEquals(1, t.forgetCall("a"));
        assertEquals(2, t.forgetCall("c"));
        assertEquals(0, t.endpoints());
        assertEquals(0, t.calls());
    }
}
