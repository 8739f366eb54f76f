package org.heptap.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BoundedKeyTableTest {
    @Test
    void keys_map_to_their_values_and_absent_keys_to_zero() {
        BoundedKeyTable t = new BoundedKeyTable(8);
        t.put(42, 1);
        t.put(-7, 2);
        t.put(0, 3); // 0 is the empty marker inside: it must still work as a key
        assertEquals(1, t.get(42));
        assertEquals(2, t.get(-7));
        assertEquals(3, t.get(0));
        assertEquals(0, t.get(43));
        assertEquals(3, t.size());
    }

    @Test
    void a_full_table_forgets_the_key_put_longest_ago_and_counts_it() {
        BoundedKeyTable t = new BoundedKeyTable(3);
        t.put(1, 10);
        t.put(2, 20);
        t.put(3, 30);
        t.put(2, 21); // an update keeps its place
        t.put(4, 40);
        assertEquals(0, t.get(1), "the oldest went");
        assertEquals(21, t.get(2));
        assertEquals(40, t.get(4));
        assertEquals(1, t.evicted());
        assertEquals(3, t.size());
    }

    /** Against a LinkedHashMap that does the same by the book, over many puts that collide and evict. */
    @Test
    void behaves_like_a_fifo_map_over_a_long_random_run() {
        int cap = 100;
        BoundedKeyTable t = new BoundedKeyTable(cap);
        Map<Long, Long> model = new LinkedHashMap<>();
        Random r = new Random(7);
        long evicted = 0;
        for (int i = 0; i < 200_000; i++) {
            long k = r.nextInt(400);
            long v = i + 1;
            if (model.containsKey(k)) {
                model.put(k, v);
            } else {
                if (model.size() == cap) {
                    model.remove(model.keySet().iterator().next());
                    evicted++;
                }
                model.put(k, v);
            }
            t.put(k, v);
            if (i % 997 == 0) {
                for (long q = 0; q < 400; q++) assertEquals(model.getOrDefault(q, 0L), t.get(q), "key " + q);
            }
        }
        assertEquals(model.size(), t.size());
        assertEquals(evicted, t.evicted());
    }
}
