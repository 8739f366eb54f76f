package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heptap.rtp.EModel.Codec;
import org.junit.jupiter.api.Test;

class EModelTest {
    @Test
    void a_clean_g711_call_is_r_93_2_and_mos_4_4() {
        double r = EModel.rFactor(Codec.G711, 0, 0, 0);
        assertEquals(93.2, r, 1e-9);
        assertEquals(4.41, EModel.mos(r), 0.005);
    }

    @Test
    void mos_from_r_follows_g107_annex_b() {
        assertEquals(1.0, EModel.mos(0), 1e-9);
        assertEquals(4.5, EModel.mos(100), 1e-9);
        assertEquals(3.60, EModel.mos(70), 0.005); // G.107 Table B.1: R = 70 ↔ MOS 3.6
        assertEquals(4.34, EModel.mos(90), 0.005); // R = 90 ↔ MOS 4.3
        assertEquals(2.58, EModel.mos(50), 0.005); // R = 50 ↔ MOS 2.6
    }

    @Test
    void g729_starts_lower_by_its_codec_impairment() {
        assertEquals(93.2 - 11, EModel.rFactor(Codec.G729, 0, 0, 0), 1e-9);
    }

    @Test
    void loss_uses_g107_effective_equipment_impairment() {
        // Ie,eff = 0 + 95 · 2 / (2 + 25.1) = 7.011
        assertEquals(93.2 - 95 * 2 / 27.1, EModel.rFactor(Codec.G711, 2, 0, 0), 1e-9);
        // G.729: 11 + 84 · 5 / (5 + 19) = 28.5
        assertEquals(93.2 - 28.5, EModel.rFactor(Codec.G729, 5, 0, 0), 1e-9);
    }

    @Test
    void mos_falls_as_loss_or_jitter_or_delay_rises() {
        double previous = 5;
        for (double loss = 0; loss <= 20; loss += 1) {
            double mos = EModel.mos(EModel.rFactor(Codec.G711, loss, 0, 0));
            assertTrue(mos < previous, "loss " + loss);
            previous = mos;
        }
        previous = 5;
        for (double jitter = 0; jitter <= 200; jitter += 10) {
            double mos = EModel.mos(EModel.rFactor(Codec.OPUS, 0, jitter, 0));
            assertTrue(mos < previous, "jitter " + jitter);
            previous = mos;
        }
        // past 177.3 ms one way delay costs 0.134 R per ms instead of 0.024
        double at150 = EModel.rFactor(Codec.G711, 0, 0, 300);
        double at250 = EModel.rFactor(Codec.G711, 0, 0, 500);
        assertEquals(93.2 - 0.024 * 150, at150, 1e-9);
        assertEquals(93.2 - 0.024 * 250 - 0.11 * (250 - 177.3), at250, 1e-9);
    }

    @Test
    void the_codec_comes_from_the_encoding_name() {
        assertEquals(Codec.G711, Codec.forName("PCMU"));
        assertEquals(Codec.G711, Codec.forName("pcma"));
        assertEquals(Codec.G729, Codec.forName("G729"));
        assertEquals(Codec.G729, Codec.forName("G729A"));
        assertEquals(Codec.OPUS, Codec.forName("opus"));
        assertEquals(Codec.OTHER, Codec.forName("AMR"));
        assertEquals(Codec.OTHER, Codec.forName(null));
    }

    @Test
    void r_stays_within_0_and_100() {
        assertEquals(0, EModel.rFactor(Codec.G729, 100, 1000, 5000), 1e-9);
        assertTrue(EModel.rFactor(Codec.G711, -5, -1, -1) <= 100);
    }
}
