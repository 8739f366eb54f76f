package org.heptap.core.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessageNumbersTest {
    @Test
    void a_key_set_twice_keeps_the_last_value_and_reset_clears_them() {
        Message m = new Message();
        assertTrue(m.addNumber(0x20, 100));
        assertTrue(m.addNumber(0x20, 430));
        assertEquals(1, m.numberCount());
        assertEquals(430, m.numberValue(0));
        m.reset();
        assertEquals(0, m.numberCount());
    }

    @Test
    void out_of_range_values_and_too_many_keys_are_refused() {
        Message m = new Message();
        assertFalse(m.addNumber(0x20, -1));
        assertFalse(m.addNumber(0x20, 0x10000));
        for (int k = 0; k < Message.MAX_NUMBERS; k++) assertTrue(m.addNumber(0x40 + k, k));
        assertFalse(m.addNumber(0x99, 1));
        assertEquals(Message.MAX_NUMBERS, m.numberCount());
    }
}
