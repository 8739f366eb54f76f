package org.heptap.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 3550 §6.4.1 round trip: arrival (NTP middle 32 bits) − LSR − DLSR. */
class RoundTripTest {
    /** 2023-11-14T22:13:20.5Z: NTP seconds 3908988800, whose low 16 bits are 28544 (0x6f80); half a second is 0x8000. */
    private static final long ARRIVAL_MICROS = 1_700_000_000_500_000L;

    private static final long ARRIVAL_NTP_MIDDLE = 0x6f808000L;

    @Test
    void arrival_less_the_last_sr_and_the_delay_since() {
        // the SR left 1.25 s before the report arrived and was held 0.5 s: 750 ms round trip
        long lsr = ARRIVAL_NTP_MIDDLE - 0x14000; // 1.25 s in 1/65536 s
        assertEquals(750.0, RoundTrip.ms(lsr, 0x8000, ARRIVAL_MICROS), 0.02);
    }

    @Test
    void no_sr_to_refer_to_or_an_implausible_result_says_nothing() {
        assertEquals(-1, RoundTrip.ms(0, 0, ARRIVAL_MICROS));
        // the delay since the SR longer than the time since it: a negative round trip
        assertEquals(-1, RoundTrip.ms(ARRIVAL_NTP_MIDDLE - 0x10000, 0x20000, ARRIVAL_MICROS));
    }
}
