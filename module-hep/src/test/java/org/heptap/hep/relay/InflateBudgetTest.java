package org.heptap.hep.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InflateBudgetTest {
    private static final long SECOND = 1_000_000_000L;
    private static final byte[] A = {10, 0, 0, 1};
    private static final byte[] B = {10, 0, 0, 2};

    @Test
    void a_sender_that_spent_its_budget_gets_nothing_until_it_refills() {
        InflateBudget budget = new InflateBudget(1 << 20, 256 << 10, 16);
        long t = 5 * SECOND;
        for (int i = 0; i < 4; i++) {
            assertEquals(256 << 10, budget.allowance(A, 4, t), "a full bucket allows one largest payload");
            budget.charge(256 << 10);
        }
        assertEquals(0, budget.allowance(A, 4, t), "1 MB a second: spent");
        assertEquals(256 << 10, budget.allowance(B, 4, t), "another sender has its own budget");
        assertEquals(512 << 10, budget.allowance(A, 4, t + SECOND / 2) * 2, "half a second refills half a megabyte");
    }

    @Test
    void a_refused_bomb_still_costs_what_was_inflated() {
        InflateBudget budget = new InflateBudget(1 << 20, 1 << 20, 16);
        assertEquals(1 << 20, budget.allowance(A, 4, 0));
        budget.charge(1 << 20); // inflated up to the limit, then refused
        assertEquals(0, budget.allowance(A, 4, 0));
        assertEquals(1, budget.allowance(A, 4, SECOND / 1_000_000), "refilled by a microsecond's worth only: 1 byte");
    }

    @Test
    void the_table_is_bounded_and_forgets_the_sender_heard_from_least_recently() {
        InflateBudget budget = new InflateBudget(1000, 1000, 3);
        for (int i = 0; i < 100; i++) {
            budget.allowance(new byte[] {10, 0, 0, (byte) i}, 4, 0);
            budget.charge(1000);
        }
        assertEquals(3, budget.sources());
        assertEquals(0, budget.allowance(new byte[] {10, 0, 0, 99}, 4, 0), "still remembered: spent");
        assertEquals(1000, budget.allowance(new byte[] {10, 0, 0, 0}, 4, 0), "forgotten: a full bucket again");
    }

    @Test
    void ipv6_senders_are_told_apart_by_all_their_bits() {
        InflateBudget budget = new InflateBudget(1000, 1000, 16);
        byte[] v6a = new byte[16];
        byte[] v6b = new byte[16];
        v6a[0] = 0x20;
        v6b[0] = 0x20;
        v6b[15] = 1;
        budget.allowance(v6a, 16, 0);
        budget.charge(1000);
        assertEquals(0, budget.allowance(v6a, 16, 0));
        assertEquals(1000, budget.allowance(v6b, 16, 0));
        assertTrue(budget.allowance(new byte[] {0, 0, 0, 0}, 4, 0) > 0, "0.0.0.0 is not ::");
    }
}
