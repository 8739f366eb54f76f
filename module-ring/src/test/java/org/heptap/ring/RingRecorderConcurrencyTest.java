package org.heptap.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;
import org.heptap.core.capture.Frame;
import org.heptap.core.message.Message;
import org.junit.jupiter.api.Test;

/**
 * Capture threads record into one ring at once (RTP on several sockets, SIP of new calls, a
 * second socket seeing the same frames, strangers' datagrams): every frame is accounted for
 * (kept, duplicate or unmatched), every kept frame comes back whole, each thread's in its order,
 * and the call counts each of its frames.
 */
class RingRecorderConcurrencyTest {
    private static final int FRAMES = 20_000;
    private static final int MEDIA_THREADS = 4;
    private static final int SIP_CALLS = 300;
    private static final long START = 1_700_000_000_000_000L;

    /**
     * A capture thread with its own reused message and frame, as a socket has, started with the
     * others: {@code count} datagrams on route {@code r}, the n-th with {@code payload(n)} at
     * {@code micros(n)}.
     */
    private static Runnable thread(
            RingRecorder rec,
            CountDownLatch go,
            int count,
            Route r,
            IntFunction<String> payload,
            IntToLongFunction micros) {
        return () -> {
            Message m = new Message();
            Frame f = new Frame();
            await(go);
            for (int n = 0; n < count; n++) r.send(rec, m, f, payload.apply(n), micros.applyAsLong(n));
        };
    }

    private static byte[] ip(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    /** Where a datagram goes from and to. */
    private record Route(byte[] src, int sport, byte[] dst, int dport) {
        void send(RingRecorder rec, Message m, Frame f, String payload, long micros) {
            RingRecorderTest.udp(rec, m, f, src, sport, dst, dport, payload, micros);
        }
    }

    private static final Route SIP_TO_CALLEE = new Route(ip(10, 0, 0, 1), 5060, ip(10, 0, 0, 2), 5060);
    private static final Route SIP_TO_CALLER = new Route(ip(10, 0, 0, 2), 5060, ip(10, 0, 0, 1), 5060);
    /** From the callee's SDP address to the caller's. */
    private static final Route RTP_TO_CALLER = new Route(ip(10, 0, 0, 2), 6000, ip(10, 0, 0, 1), 4000);

    private static final Route STRANGERS = new Route(ip(10, 9, 9, 9), 7000, ip(10, 9, 9, 8), 7002);

    @Test
    void threads_recording_at_once_account_for_every_frame() throws Exception {
        try (RingStore store = new RingStore(64L << 20, 0, null, 0, true, true)) {
            RingRecorder rec = new RingRecorder(store, Set.of(), 1000);
            Message m = new Message();
            Frame f = new Frame();
            SIP_TO_CALLEE.send(rec, m, f, RingRecorderTest.invite("conc@x", "1", "2", "10.0.0.1", 4000), START);
            String ok = RingRecorderTest.response(200, "conc@x", "INVITE", "10.0.0.2", 6000);
            SIP_TO_CALLER.send(rec, m, f, ok, START + 1);

            int threads = MEDIA_THREADS + 3;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            try {
                for (int t = 0; t < MEDIA_THREADS; t++) {
                    int thread = t;
                    runs.add(pool.submit(media(rec, go, thread)));
                }
                // a second socket that sees thread 0's frames too: each is kept once
                runs.add(pool.submit(media(rec, go, 0)));
                runs.add(pool.submit(thread(rec, go, FRAMES, STRANGERS, n -> "stranger " + n, n -> START + 10 + n)));
                runs.add(pool.submit(thread(
                        rec,
                        go,
                        SIP_CALLS,
                        SIP_TO_CALLEE,
                        k -> RingRecorderTest.invite(
                                "other-" + k + "@x", "1", "2", "10.1.0." + (k % 250), 8000 + 2 * k),
                        k -> START + 10 + k)));
                go.countDown();
                for (Future<?> r : runs) r.get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }

            Map<String, Long> c = rec.counters();
            long offered = 2 + (MEDIA_THREADS + 1L) * FRAMES + FRAMES + SIP_CALLS;
            assertEquals(
                    offered,
                    c.get("signalling-frames") + c.get("media-frames") + c.get("unmatched") + c.get("duplicates"),
                    "every frame kept, a duplicate or unmatched: " + c);
            assertEquals(FRAMES, c.get("unmatched"), "the stranger's: " + c);
            assertEquals(2 + SIP_CALLS, c.get("signalling-frames"), c.toString());
            assertEquals(1 + SIP_CALLS, c.get("calls"), c.toString());
            assertEquals(store.counters().get("frames"), c.get("signalling-frames") + c.get("media-frames"));
            assertEquals(0, store.counters().get("dropped-no-buffer"), "a replay's store waits for buffers");

            long call =
                    rec.callsWithId("conc@x".getBytes(StandardCharsets.UTF_8)).get(0);
            Map<String, Integer> copies = new HashMap<>();
            int[] lastOf = new int[MEDIA_THREADS];
            java.util.Arrays.fill(lastOf, -1);
            long[] records = {0, 0};
            store.scan((time, flags, link, wire, callOf, buf, off, len) -> {
                records[0]++;
                if (callOf != call || (flags & RingStore.FLAG_SIGNALLING) != 0) return;
                records[1]++;
                String text = new String(buf, off, len, StandardCharsets.UTF_8);
                String payload = text.substring(text.indexOf(':') + 1);
                copies.merge(payload, 1, Integer::sum);
                // "rtp T N": each thread's frames in its own order (thread 0's come from two threads)
                String[] w = payload.split(" ");
                int t = Integer.parseInt(w[1]);
                int n = Integer.parseInt(w[2]);
                if (t == 0) return;
                assertTrue(n > lastOf[t], "thread " + t + ": " + n + " after " + lastOf[t]);
                lastOf[t] = n;
            });
            assertEquals(c.get("signalling-frames") + c.get("media-frames"), records[0], "every kept frame comes back");
            assertEquals(c.get("media-frames"), records[1]);
            assertEquals(MEDIA_THREADS * FRAMES, copies.size(), "every media frame of the call kept");
            long twice = copies.values().stream().filter(n -> n == 2).count();
            assertTrue(copies.values().stream().allMatch(n -> n <= 2), "no frame kept more than twice");
            assertEquals(MEDIA_THREADS * FRAMES + twice, records[1]);
            assertEquals(FRAMES - twice, c.get("duplicates"), "the second socket's copies, kept once: " + c);
            CallInfo info = rec.calls(i -> i.number() == call, 1).get(0);
            assertEquals(2 + records[1], info.frames(), "the call counts each of its frames");
        }
    }

    /** Thread {@code t}'s RTP to the call's announced address, frames numbered in order. */
    private static Runnable media(RingRecorder rec, CountDownLatch go, int t) {
        return thread(rec, go, FRAMES, RTP_TO_CALLER, n -> "rtp " + t + " " + n, n -> START + 10 + n * 16L + t);
    }

    private static void await(CountDownLatch go) {
        try {
            assertTrue(go.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
