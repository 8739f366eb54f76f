package org.heptap.ring;

import static org.heptap.core.testing.Threads.awaitBlocked;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RingStoreTest {
    private static final int SEG = 64 << 10;

    /** A record as scanned back. */
    record Rec(long time, int flags, int linkType, int wire, long call, byte[] data) {}

    static List<Rec> all(RingStore s) throws IOException {
        List<Rec> out = new ArrayList<>();
        s.scan((time, flags, link, wire, call, buf, off, len) ->
                out.add(new Rec(time, flags, link, wire, call, java.util.Arrays.copyOfRange(buf, off, off + len))));
        return out;
    }

    static byte[] frame(int n, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) (n * 31 + i);
        return b;
    }

    @Test
    void records_come_back_in_order_byte_for_byte_from_wherever_they_lay() throws IOException {
        try (RingStore s = new RingStore(1 << 20, 0, null, 0, false, false)) {
            for (int i = 0; i < 100; i++) {
                byte[] f = frame(i, 60 + i);
                // odd records come lent from a larger array (a capture file's window), at an offset
                int at = i % 2 == 0 ? 0 : 7;
                byte[] from = new byte[at + f.length + 3];
                java.util.Arrays.fill(from, (byte) 0xEE);
                System.arraycopy(f, 0, from, at, f.length);
                assertTrue(
                        s.append(1_000_000_000L * i + 7, i % 3, 1, 1500, i / 10 + 1, i % 10 == 0, from, at, f.length));
            }
            List<Rec> got = all(s);
            assertEquals(100, got.size());
            for (int i = 0; i < 100; i++) {
                Rec r = got.get(i);
                assertEquals(1_000_000_000L * i + 7, r.time);
                assertEquals(i % 3, r.flags);
                assertEquals(1, r.linkType);
                assertEquals(1500, r.wire);
                assertEquals(i / 10 + 1, r.call);
                assertArrayEquals(frame(i, 60 + i), r.data);
            }
        }
    }

    /** Memory only: the oldest segments go to make room, their calls counted as evicted; the newest stay. */
    @Test
    void a_full_memory_ring_evicts_the_oldest_calls_and_counts_them() throws IOException {
        long memory = 16L * SEG;
        try (RingStore s = new RingStore(memory, 0, null, 0, false, false)) {
            assertEquals(memory / 8, s.segmentSizeBytes());
            int calls = 0;
            for (int i = 0; i < 4000; i++) {
                byte[] f = frame(i, 1000);
                boolean starts = i % 4 == 0;
                if (starts) calls++;
                if (!s.append(i, 0, 1, 1000, i / 4 + 1, starts, f, 0, f.length)) {
                    s.maintain(); // what the keeper does when the pool runs low
                    assertTrue(s.append(i, 0, 1, 1000, i / 4 + 1, starts, f, 0, f.length));
                }
                if (i % 50 == 0) s.maintain();
            }
            s.maintain();
            assertTrue(s.memoryBytes() <= memory, s.memoryBytes() + " bytes of memory");
            List<Rec> kept = all(s);
            assertEquals(3999, kept.get(kept.size() - 1).time, "the newest frame is kept");
            long first = kept.get(0).time;
            for (int k = 0; k < kept.size(); k++) assertEquals(first + k, kept.get(k).time, "no gap");
            var c = s.counters();
            assertEquals(4000 - kept.size(), c.get("frames-evicted"));
            // a call whose first frame went is evicted: every call started before the first kept frame
            assertEquals((first + 3) / 4, c.get("calls-evicted"));
            assertTrue(c.get("calls-evicted") > 0 && c.get("calls-evicted") < calls);
        }
    }

    /** Spilling: older segments go to files, read back identically; the disk bound deletes the oldest. */
    @Test
    void the_oldest_memory_spills_to_disk_within_its_bound(@TempDir Path dir) throws IOException {
        long memory = 8L * SEG;
        long disk = 16L * SEG;
        try (RingStore s = new RingStore(memory, disk, dir, 0, false, false)) {
            for (int i = 0; i < 3000; i++) {
                byte[] f = frame(i, 900);
                if (!s.append(i, 0, 1, 900, i + 1, true, f, 0, f.length)) {
                    s.maintain();
                    assertTrue(s.append(i, 0, 1, 900, i + 1, true, f, 0, f.length));
                }
                if (i % 20 == 0) s.maintain();
            }
            s.maintain();
            assertTrue(s.diskBytes() <= disk, s.diskBytes() + " bytes on disk");
            long onDisk;
            try (Stream<Path> files = Files.list(dir)) {
                onDisk = files.mapToLong(p -> p.toFile().length()).sum();
            }
            assertEquals(s.diskBytes(), onDisk, "what the ring counts is what is in the directory");
            assertTrue(s.counters().get("segments-spilled") > 0);
            assertTrue(s.counters().get("segments-evicted") > 0, "the disk bound was reached");
            List<Rec> kept = all(s);
            long first = kept.get(0).time;
            assertEquals(3000 - first, kept.size(), "from the oldest kept to the newest, nothing missing");
            for (Rec r : kept) assertArrayEquals(frame((int) r.time, 900), r.data, "frame " + r.time);
            assertTrue(kept.size() * 936L > memory, "more is kept than memory holds");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count(), "closing the ring removes its spill files");
        }
    }

    /** No directory configured: a private one, made at the first spill (a check makes none), removed at close. */
    @Test
    void without_a_directory_the_ring_spills_to_a_temporary_one_it_removes() throws IOException {
        Path made;
        try (RingStore s = new RingStore(8L * SEG, 8L * SEG, null, 0, false, false)) {
            assertEquals(null, s.spillDirectory(), "nothing made before anything spills");
            for (int i = 0; i < 1000; i++) {
                byte[] f = frame(i, 900);
                if (!s.append(i, 0, 1, 900, i + 1, true, f, 0, f.length)) {
                    s.maintain();
                    assertTrue(s.append(i, 0, 1, 900, i + 1, true, f, 0, f.length));
                }
                if (i % 20 == 0) s.maintain();
            }
            made = s.spillDirectory();
            assertTrue(made != null && Files.isDirectory(made), "spilled to " + made);
            assertTrue(s.counters().get("segments-spilled") > 0);
            assertEquals(999, all(s).get(all(s).size() - 1).time);
        }
        assertFalse(Files.exists(made), made + " is removed at close");
    }

    @Test
    void frames_older_than_max_age_behind_the_newest_are_evicted() throws IOException {
        long sec = 1_000_000_000L;
        // 2 MB of memory holds all 2000 frames of 536 bytes: only the age evicts
        try (RingStore s = new RingStore(32L * SEG, 0, null, 1000 * sec, false, false)) {
            int perSegment = s.segmentSizeBytes() / (500 + RingStore.HEADER);
            for (int i = 0; i < 2000; i++) {
                byte[] f = frame(i, 500);
                assertTrue(s.append(i * sec, 0, 1, 500, 1, i == 0, f, 0, f.length));
                if (i % 20 == 0) s.maintain();
            }
            s.maintain();
            List<Rec> kept = all(s);
            long newest = 1999 * sec;
            long oldest = kept.get(0).time;
            // whole segments go: what is kept starts at most one segment before the age limit
            assertTrue(oldest > newest - 1000 * sec - perSegment * sec, "oldest kept " + oldest);
            assertTrue(oldest <= newest - 1000 * sec, "nothing younger than the limit went: " + oldest);
            assertEquals(newest, kept.get(kept.size() - 1).time);
            assertEquals(oldest / sec, s.counters().get("frames-evicted"));
        }
    }

    @Test
    void a_frame_larger_than_a_segment_is_dropped_and_counted() throws IOException {
        try (RingStore s = new RingStore(1 << 20, 0, null, 0, false, false)) {
            byte[] big = new byte[s.maxFrame() + 1];
            assertFalse(s.append(1, 0, 1, big.length, 1, true, big, 0, big.length));
            assertEquals(1, s.counters().get("dropped-oversize"));
            assertEquals(0, all(s).size());
        }
    }

    /** Live: a writer never waits for the keeper; without a free buffer the frame is dropped and counted. */
    @Test
    void without_a_free_buffer_a_live_writer_drops_and_counts() throws IOException {
        try (RingStore s = new RingStore(2L * SEG, 0, null, 0, false, false)) {
            byte[] f = frame(1, 1000);
            int appended = 0;
            int dropped = 0;
            for (int i = 0; i < 500; i++) {
                if (s.append(i, 0, 1, 1000, 1, false, f, 0, f.length)) appended++;
                else dropped++;
            }
            assertTrue(dropped > 0);
            assertEquals(dropped, s.counters().get("dropped-no-buffer"));
            assertEquals(appended, all(s).size());
        }
    }

    /**
     * The keeper and a test (or two callers) may run maintain at once: a segment is evicted and
     * counted once. A reader holds the first caller inside recycle (the reading lock) while the
     * second arrives, so both would pick the same oldest segment if maintain let them in together.
     */
    @Test
    void maintain_on_two_threads_evicts_each_segment_once() throws Exception {
        try (RingStore s = new RingStore(2L * SEG, 0, null, 0, false, false)) {
            byte[] f = frame(1, 1000);
            int appended = 0;
            // two buffers, a reserve of one: the first drop comes with both segments full, none free
            while (s.append(appended, 0, 1, f.length, 1, false, f, 0, f.length)) appended++;
            java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try {
                    s.scan((time, flags, link, wire, call, buf, off, len) -> {
                        reading.countDown();
                        try {
                            go.await(30, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            reader.start();
            assertTrue(reading.await(10, java.util.concurrent.TimeUnit.SECONDS), "the reader is inside scan");
            Thread first = new Thread(s::maintain);
            first.start();
            awaitBlocked(first); // waits for the reading lock to evict the oldest segment
            Thread second = new Thread(s::maintain);
            second.start();
            awaitBlocked(second);
            go.countDown();
            for (Thread t : List.of(reader, first, second)) {
                t.join(10_000);
                assertFalse(t.isAlive(), t + " ended");
            }
            var c = s.counters();
            assertEquals(appended, c.get("frames"), c.toString());
            assertEquals(1, c.get("segments-evicted"), c.toString());
            assertEquals(c.get("frames"), all(s).size() + c.get("frames-evicted"), "kept or evicted: " + c);
        }
    }

    /**
     * Writers on several threads append at once while a reader scans and the keeper evicts: every
     * record appended is kept or counted as evicted, each comes back whole, each thread's in its
     * order.
     */
    @Test
    void writers_on_several_threads_lose_no_record_and_keep_their_order() throws Exception {
        int threads = 4;
        int perThread = 25_000;
        // 2 MB in 256 kB segments for ~8 MB of records: many segment rolls, the oldest evicted
        try (RingStore s = new RingStore(2L << 20, 0, null, 0, true, true)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads + 1);
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            try {
                List<java.util.concurrent.Future<?>> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    writers.add(pool.submit(() -> {
                        for (int n = 0; n < perThread; n++) {
                            byte[] f = frame(thread * perThread + n, 8 + n % 61);
                            assertTrue(s.append(n, 0, 1, f.length, thread + 1, n == 0, f, 0, f.length));
                        }
                    }));
                }
                java.util.concurrent.Future<Integer> reader = pool.submit(() -> {
                    int scans = 0;
                    do { // at least once: the writers may be done before the reader starts
                        for (Rec r : all(s)) assertIntact(r, perThread);
                        scans++;
                    } while (writing.get());
                    return scans;
                });
                for (var w : writers) w.get(60, java.util.concurrent.TimeUnit.SECONDS);
                writing.set(false);
                assertTrue(reader.get(60, java.util.concurrent.TimeUnit.SECONDS) > 0);
            } finally {
                pool.shutdownNow();
            }
            s.maintain();
            List<Rec> kept = all(s);
            var c = s.counters();
            assertEquals((long) threads * perThread, c.get("frames"), c.toString());
            assertEquals(c.get("frames"), kept.size() + c.get("frames-evicted"), "kept or evicted: " + c);
            assertTrue(c.get("frames-evicted") > 0, "the ring was full: " + c);
            long[] first = new long[threads + 1];
            long[] last = new long[threads + 1];
            long[] count = new long[threads + 1];
            java.util.Arrays.fill(last, -1);
            for (Rec r : kept) {
                assertIntact(r, perThread);
                assertTrue(
                        r.time > last[(int) r.call],
                        "thread " + r.call + ": " + r.time + " after " + last[(int) r.call]);
                if (count[(int) r.call]++ == 0) first[(int) r.call] = r.time;
                last[(int) r.call] = r.time;
            }
            // eviction takes the oldest segments, so what is kept of each thread is its newest
            // records without a gap; a thread that finished early may have none left (the others
            // went on writing more than the ring holds), but the ring is never empty
            long keptThreads = 0;
            for (int t = 1; t <= threads; t++) {
                if (count[t] == 0) continue;
                keptThreads++;
                assertEquals(perThread - 1, last[t], "thread " + t + "'s newest is kept");
                assertEquals(perThread - first[t], count[t], "thread " + t + " kept its newest without a gap");
            }
            assertTrue(keptThreads > 0, "something is kept");
        }
    }

    /** A record as the concurrent test's writer {@code call - 1} wrote its frame number {@code time}. */
    private static void assertIntact(Rec r, int perThread) {
        int n = (int) r.time;
        assertArrayEquals(frame((int) (r.call - 1) * perThread + n, 8 + n % 61), r.data, "record " + r.call + "/" + n);
        assertEquals(r.data.length, r.wire);
    }

    @Test
    void segments_are_an_eighth_of_memory_between_64k_and_4m() {
        assertEquals(64 << 10, RingStore.segmentSize(256 << 10));
        assertEquals(1 << 20, RingStore.segmentSize(8 << 20));
        assertEquals(4 << 20, RingStore.segmentSize(1L << 30));
    }
}
