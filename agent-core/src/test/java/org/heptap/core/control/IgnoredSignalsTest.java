package org.heptap.core.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IgnoredSignalsTest {
    private static String status(String sigIgn) {
        return "Name:\tjava\nState:\tS (sleeping)\nSigPnd:\t0000000000000000\nSigBlk:\t0000000000000000\n" + "SigIgn:\t"
                + sigIgn + "\nSigCgt:\t0000000000000400\n";
    }

    @Test
    void sighup_is_bit_zero_of_the_sigign_mask() {
        assertTrue(IgnoredSignals.ignored(status("0000000000000001"), IgnoredSignals.SIGHUP));
        assertTrue(IgnoredSignals.ignored(status("0000000000001001"), IgnoredSignals.SIGHUP), "SIGHUP and SIGPIPE");
        assertFalse(IgnoredSignals.ignored(status("0000000000001000"), IgnoredSignals.SIGHUP), "SIGPIPE alone");
        assertTrue(IgnoredSignals.ignored(status("0000000000001000"), 13), "SIGPIPE is bit 12");
        assertFalse(IgnoredSignals.ignored(status("0000000000000000"), IgnoredSignals.SIGHUP));
    }

    @Test
    void the_top_bit_of_a_full_mask_is_read_too() {
        assertTrue(IgnoredSignals.ignored(status("8000000000000000"), 64));
        assertFalse(IgnoredSignals.ignored(status("8000000000000000"), IgnoredSignals.SIGHUP));
    }

    @Test
    void a_status_without_a_mask_means_not_ignored() {
        assertFalse(IgnoredSignals.ignored("Name:\tjava\n", IgnoredSignals.SIGHUP));
    }
}
