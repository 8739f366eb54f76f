package org.heptap.core.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayPacerTest {
    /** A clock that only moves when the pacer sleeps; records each release time. */
    static final class FakeTime {
        long now = 5_000_000_000L;
        final List<Long> sleeps = new ArrayList<>();

        ReplayPacer pacer(double factor) {
            return pacer(factor, java.time.Duration.ZERO);
        }

        ReplayPacer pacer(double factor, java.time.Duration maxGap) {
            return new ReplayPacer(factor, maxGap, () -> now, nanos -> {
                sleeps.add(nanos);
                now += nanos;
            });
        }
    }

    @Test
    void parses_speeds() {
        assertEquals("max", ReplayPacer.parse("max").describe());
        assertEquals("real", ReplayPacer.parse(" REAL ").describe());
        assertEquals("2x", ReplayPacer.parse("2").describe());
        assertEquals("10x", ReplayPacer.parse("10x").describe());
        assertEquals("0.5x", ReplayPacer.parse("0.5").describe());
        assertFalse(ReplayPacer.parse("max").isPaced());
        assertTrue(ReplayPacer.parse("real").isPaced());
        for (String bad : new String[] {"", "fast", "0", "-1", "NaN", "Infinity", "x"}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ReplayPacer.parse(bad), bad);
            assertTrue(e.getMessage().contains("--speed must be max, real or a positive factor"), e.getMessage());
        }
    }

    @Test
    void real_speed_releases_each_packet_at_its_offset_from_the_first() {
        FakeTime t = new FakeTime();
        ReplayPacer p = t.pacer(1);
        long start = t.now;
        assertTrue(p.pace(1_000_000_000L)); // first packet: at once
        assertEquals(start, t.now);
        assertTrue(p.pace(1_000_050_000L)); // +50 ms
        assertEquals(start + 50_000_000L, t.now);
        assertTrue(p.pace(1_000_040_000L)); // earlier than its predecessor: at once
        assertEquals(start + 50_000_000L, t.now);
        assertTrue(p.pace(1_000_350_000L)); // +350 ms, slept in slices of at most 100 ms
        assertEquals(start + 350_000_000L, t.now);
        assertTrue(t.sleeps.stream().allMatch(s -> s <= 100_000_000L), t.sleeps.toString());
    }

    @Test
    void factor_divides_the_gaps_and_max_never_sleeps() {
        FakeTime t = new FakeTime();
        ReplayPacer p = t.pacer(4);
        long start = t.now;
        p.pace(0);
        p.pace(2_000_000L); // 2 s of capture at 4x
        assertEquals(start + 500_000_000L, t.now);

        FakeTime m = new FakeTime();
        ReplayPacer max = m.pacer(0);
        assertTrue(max.pace(0));
        assertTrue(max.pace(3_600_000_000L));
        assertTrue(m.sleeps.isEmpty());
    }

    @Test
    void cancel_stops_a_wait() {
        FakeTime t = new FakeTime();
        ReplayPacer[] holder = new ReplayPacer[1];
        holder[0] = new ReplayPacer(1, () -> t.now, nanos -> {
            t.now += nanos;
            holder[0].cancel();
        });
        assertTrue(holder[0].pace(0));
        assertFalse(holder[0].pace(3_600_000_000L));
        assertTrue(t.now - 5_000_000_000L <= 100_000_000L, "stopped after one slice");
        assertFalse(holder[0].pace(3_600_000_001L));
    }

    @Test
    void interrupt_stops_a_wait_and_stays_set() {
        ReplayPacer p = ReplayPacer.factor(1);
        p.pace(0);
        Thread.currentThread().interrupt();
        try {
            assertFalse(p.pace(60_000_000L));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void a_paced_file_source_waits_between_frames() throws IOException {
        byte[] file = CaptureFileBytes.classic(ByteOrder.LITTLE_ENDIAN, false, 65535, 1)
                .record(100, 0, new byte[60])
                .record(100, 30_000, new byte[60])
                .record(100, 60_000, new byte[60])
                .toByteArray();
        try (PcapFileSource src = PcapFileSource.open(
                Channels.newChannel(new ByteArrayInputStream(file)), "paced", ReplayPacer.parse("real"))) {
            Frame f = new Frame();
            long t0 = System.nanoTime();
            int n = 0;
            while (src.next(f) == PacketSource.PACKET) n++;
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(3, n);
            assertTrue(ms >= 55, "60 ms of capture replayed in " + ms + " ms");
            assertTrue(src.describe().endsWith(", speed real)"), src.describe());
        }
    }

    @Test
    void a_gap_longer_than_the_cap_waits_the_cap_and_the_schedule_moves_up() {
        FakeTime t = new FakeTime();
        ReplayPacer p = t.pacer(1, java.time.Duration.ofSeconds(1));
        long start = t.now;
        assertTrue(p.pace(0));
        assertTrue(p.pace(500_000L)); // +0.5 s: under the cap
        assertEquals(start + 500_000_000L, t.now);
        assertTrue(p.pace(3_600_500_000L)); // an idle hour: 1 s
        assertEquals(start + 1_500_000_000L, t.now);
        assertTrue(p.pace(3_600_700_000L)); // +0.2 s after it, on the moved schedule
        assertEquals(start + 1_700_000_000L, t.now);
        assertTrue(p.pace(7_200_700_000L)); // another hour: 1 s again
        assertEquals(start + 2_700_000_000L, t.now);
    }

    @Test
    void the_cap_is_on_the_wait_after_the_speed_factor() {
        FakeTime t = new FakeTime();
        ReplayPacer p = t.pacer(0.5, java.time.Duration.ofSeconds(1)); // half speed: 0.8 s of capture is a 1.6 s wait
        long start = t.now;
        p.pace(0);
        p.pace(800_000L);
        assertEquals(start + 1_000_000_000L, t.now);
    }

    @Test
    void the_first_shortened_gap_is_logged_once() {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(ReplayPacer.class.getName());
        List<String> logged = new ArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(h);
        try {
            FakeTime t = new FakeTime();
            ReplayPacer p = t.pacer(1, java.time.Duration.ofSeconds(1));
            p.pace(0);
            p.pace(90_000_000L);
            p.pace(180_000_000L);
            assertEquals(
                    List.of("replay: a wait of 90.000 s before packet 2 shortened to 1 s (--max-gap; later long gaps"
                            + " are shortened too, without a log)"),
                    logged);
        } finally {
            jul.removeHandler(h);
        }
    }
}
