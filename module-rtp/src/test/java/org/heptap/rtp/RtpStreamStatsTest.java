package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RtpStreamStatsTest {
    private final RtpHeader h = new RtpHeader();
    private final byte[] pkt = new byte[172];
    private final RtpStreamStats s = new RtpStreamStats();

    /** Feeds one packet: sequence, timestamp, arrival in µs. */
    private void feed(int pt, boolean marker, int seq, long ts, long micros) {
        pkt[0] = (byte) 0x80;
        pkt[1] = (byte) ((marker ? 0x80 : 0) | pt);
        pkt[2] = (byte) (seq >> 8);
        pkt[3] = (byte) seq;
        pkt[4] = (byte) (ts >> 24);
        pkt[5] = (byte) (ts >> 16);
        pkt[6] = (byte) (ts >> 8);
        pkt[7] = (byte) ts;
        pkt[11] = 7;
        assertEquals(RtpResult.RTP, RtpHeaderParser.parse(pkt, 0, pkt.length, h));
        s.add(h, micros, pkt.length);
    }

    private void pcmu(int seq, int index, long micros) {
        feed(0, false, seq & 0xffff, (0xfffff000L + 160L * index) & 0xffffffffL, micros);
    }

    @Test
    void sequence_numbers_extend_across_the_wrap_and_losses_count_once() {
        s.reset(7, PayloadTypes.STATIC);
        int seq = 65530;
        for (int i = 0; i < 20; i++) {
            if (i != 4 && i != 8 && i != 9) pcmu(seq + i, i, 20_000L * i); // 65534, 2, 3 lost
        }
        assertEquals(17, s.packets());
        assertEquals(20, s.expected());
        assertEquals(3, s.lost());
        assertEquals(0, s.duplicates());
        assertEquals(0, s.outOfOrder());
        assertEquals(60.0, s.maxDeltaMs(), 1e-9);
        assertEquals(0.0, s.maxJitterMs(), 1e-9);
        assertEquals(17 * 172, s.bytes());
    }

    @Test
    void a_duplicate_is_not_a_late_packet_and_hides_no_loss() {
        s.reset(7, PayloadTypes.STATIC);
        pcmu(100, 0, 0);
        pcmu(102, 2, 40_000);
        pcmu(101, 1, 45_000); // late
        pcmu(102, 2, 46_000); // duplicate
        pcmu(104, 4, 80_000); // 103 lost
        pcmu(104, 4, 81_000); // duplicate
        assertEquals(6, s.packets());
        assertEquals(2, s.duplicates());
        assertEquals(1, s.outOfOrder());
        assertEquals(5, s.expected());
        assertEquals(1, s.lost());
    }

    @Test
    void jitter_follows_rfc3550_a8_in_milliseconds() {
        s.reset(7, PayloadTypes.STATIC);
        pcmu(1, 0, 0);
        pcmu(2, 1, 24_000); // 4 ms late: J = 4/16
        assertEquals(0.25, s.jitterMs(), 1e-9);
        pcmu(3, 2, 40_000); // 4 ms early against the previous: J = 0.25 + (4 - 0.25)/16
        assertEquals(0.25 + 3.75 / 16, s.jitterMs(), 1e-9);
        assertEquals(s.jitterMs(), s.maxJitterMs(), 1e-9);
        assertEquals(24.0, s.maxDeltaMs(), 1e-9);
        assertEquals(16.0, s.minDeltaMs(), 1e-9);
    }

    @Test
    void telephone_events_are_counted_once_per_event() {
        byte[] sdp = "a=rtpmap:111 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        s.reset(9, PayloadTypes.fromSdp(sdp, 0, sdp.length));
        feed(111, false, 1, 0, 0);
        feed(111, false, 2, 960, 20_000);
        feed(101, true, 3, 1920, 40_000); // event 1: three packets, one timestamp
        feed(101, false, 4, 1920, 50_000);
        feed(101, false, 5, 1920, 60_000);
        feed(101, true, 6, 4800, 100_000); // event 2
        feed(111, true, 7, 9600, 200_000); // talkspurt after silence
        feed(111, false, 8, 10560, 220_000);
        assertEquals(2, s.dtmfEvents());
        assertEquals(1, s.silencePeriods());
        assertTrue(s.sawPayloadType(101) && s.sawPayloadType(111));
        assertFalse(s.sawPayloadType(0));
        assertEquals(48000, s.clockRate());
    }

    @Test
    void rtpmap_lines_define_dynamic_types_and_bad_ones_are_skipped() {
        byte[] sdp = ("v=0\r\nm=audio 4000 RTP/AVP 0 96 97 98\r\na=rtpmap:96 opus/48000/2\r\na=rtpmap:97 AMR-WB/16000\n"
                        + "a=rtpmap:98 broken\r\na=rtpmap:x PCMU/8000\r\na=rtpmap:99 L16/0\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        PayloadTypes t = PayloadTypes.fromSdp(sdp, 0, sdp.length);
        assertEquals("opus", t.name(96));
        assertEquals(48000, t.clockRate(96));
        assertEquals("AMR-WB", t.name(97));
        assertEquals(16000, t.clockRate(97));
        assertNull(t.name(98));
        assertEquals(0, t.clockRate(99));
        assertEquals("PCMU", t.name(0));
        assertEquals(8000, t.clockRate(18));
        assertEquals(0, t.clockRate(200));
    }

    @Test
    void adding_packets_allocates_nothing() {
        s.reset(7, PayloadTypes.STATIC);
        int[] i = {0};
        long allocated = Allocations.measure(() -> {
            for (int n = 0; n < 10_000; n++, i[0]++) pcmu(i[0], i[0], 20_000L * i[0]);
        });
        assertEquals(20_000, s.packets());
        assertTrue(allocated < 1000, "allocated " + allocated + " bytes for 10,000 packets");
    }
}
