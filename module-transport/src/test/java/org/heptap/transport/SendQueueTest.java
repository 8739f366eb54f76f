package org.heptap.transport;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hand-over's waiting rules: offline producers sleep until woken, live ones never wait. */
class SendQueueTest {
    private static final int CAPACITY = 8; // a power of two: the fixed MPSC queue holds exactly this
    private static final long AWAIT_SECONDS = 10;

    private final AtomicBoolean waitHelps = new AtomicBoolean(true);
    private final AtomicInteger helpsAsked = new AtomicInteger();
    private Thread producer;

    @AfterEach
    void stopProducer() throws InterruptedException {
        if (producer != null && producer.isAlive()) {
            waitHelps.set(false);
            producer.interrupt();
            producer.join(TimeUnit.SECONDS.toMillis(AWAIT_SECONDS));
        }
    }

    /** A queue whose producers, offline, look again only when woken (the safety net is an hour). */
    private SendQueue queue(boolean offline) {
        BooleanSupplier helps = () -> {
            helpsAsked.incrementAndGet();
            return waitHelps.get();
        };
        return new SendQueue(CAPACITY, offline, () -> {}, helps, TimeUnit.HOURS.toMillis(1));
    }

    private static ByteBuf packet() {
        return Unpooled.buffer(1).writeByte(1);
    }

    private static void fill(SendQueue q) {
        for (int i = 0; i < CAPACITY; i++) assertTrue(q.offer(packet()), "packet " + i + " fits");
    }

    /** Offers one more packet on a thread of its own; completes with what offer returned. */
    private CompletableFuture<Boolean> offerFromProducer(SendQueue q) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        producer = new Thread(() -> result.complete(q.offer(packet())), "producer");
        producer.start();
        return result;
    }

    private void awaitProducerAsleep() {
        await(
                () -> producer.getState() == Thread.State.WAITING || producer.getState() == Thread.State.TIMED_WAITING,
                "the producer to wait for room");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) fail("timed out waiting for " + what);
            Thread.onSpinWait();
        }
    }

    private static boolean outcome(CompletableFuture<Boolean> result)
            throws InterruptedException, ExecutionException, TimeoutException {
        return result.get(AWAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Records how a queue asks for its drain (at once, or after a while) and runs nothing. */
    private static final class RecordingLoop extends io.netty.channel.DefaultEventLoop {
        final java.util.List<String> asked = new java.util.ArrayList<>();

        @Override
        public void execute(Runnable task) {
            asked.add("now");
        }

        @Override
        public io.netty.util.concurrent.ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            asked.add("after " + unit.toMicros(delay) + " µs");
            return null;
        }
    }

    @Test
    void an_offline_queue_gathers_packets_a_moment_before_it_drains_a_live_one_drains_at_once() {
        RecordingLoop loop = new RecordingLoop();
        SendQueue offline = new SendQueue(256, true, () -> {}, () -> true);
        offline.start(loop);
        offline.drainFinished(); // the drain start() asked for found nothing
        loop.asked.clear();
        for (int i = 0; i < 3; i++) assertTrue(offline.offer(packet()));
        assertEquals(java.util.List.of("after 500 µs"), loop.asked, "one drain for the three, a moment later");

        // a queue that holds a batch's worth already is drained at once
        loop.asked.clear();
        SendQueue full = new SendQueue(256, true, () -> {}, () -> true);
        for (int i = 0; i < SendQueue.OFFLINE_GATHER_MAX; i++) assertTrue(full.offer(packet()));
        full.start(loop);
        assertEquals(java.util.List.of("now"), loop.asked);

        loop.asked.clear();
        SendQueue live = new SendQueue(256, false, () -> {}, () -> true);
        live.start(loop);
        live.drainFinished();
        loop.asked.clear();
        assertTrue(live.offer(packet()));
        assertEquals(java.util.List.of("now"), loop.asked, "live packets are not held back");
    }

    @Test
    void offline_producer_sleeps_on_a_full_queue_until_the_consumer_has_drained_it_to_half() throws Exception {
        SendQueue q = queue(true);
        fill(q);
        CompletableFuture<Boolean> offered = offerFromProducer(q);
        await(q::roomWanted, "the producer to ask for room");
        awaitProducerAsleep();

        assertNotNull(q.poll());
        assertEquals(0, q.wakeUps(), "one free slot is not the low-water mark: nobody woken");
        for (int i = 1; i < CAPACITY / 2; i++) {
            assertNotNull(q.poll());
        }
        assertEquals(1, q.wakeUps(), "woken once, when the queue is down to half");
        assertTrue(outcome(offered), "the packet was queued after the wait");
        assertEquals(CAPACITY + 1, q.accepted());
        assertEquals(0, q.dropped());
        int left = 0;
        while (q.poll() != null) left++;
        assertEquals(CAPACITY / 2 + 1, left, "the waiting packet is behind the ones that were queued");
    }

    @Test
    void a_producer_asleep_while_the_consumer_empties_the_queue_is_woken_when_the_drain_ends() throws Exception {
        SendQueue q = queue(true);
        fill(q);
        CompletableFuture<Boolean> offered = offerFromProducer(q);
        await(q::roomWanted, "the producer to ask for room");
        awaitProducerAsleep();

        while (q.poll() != null) {
            // the event loop's drain task
        }
        q.drainFinished();
        assertTrue(outcome(offered));
        assertEquals(1, q.wakeUps());
    }

    @Test
    void live_producer_never_waits_and_counts_the_drop() {
        SendQueue q = queue(false);
        fill(q);
        boolean accepted = assertTimeoutPreemptively(Duration.ofSeconds(AWAIT_SECONDS), () -> q.offer(packet()));
        assertFalse(accepted, "a full live queue refuses at once");
        assertEquals(1, q.dropped());
        assertEquals(CAPACITY, q.accepted());
        assertEquals(0, helpsAsked.get(), "a live producer never considers waiting");
        assertFalse(q.roomWanted());
    }

    @Test
    void closing_wakes_a_waiting_producer_which_drops_and_counts_its_packet() throws Exception {
        SendQueue q = queue(true);
        fill(q);
        CompletableFuture<Boolean> offered = offerFromProducer(q);
        await(q::roomWanted, "the producer to ask for room");
        awaitProducerAsleep();

        waitHelps.set(false); // the transport's close(): closed = true, then
        q.wakeWaiters();
        assertFalse(outcome(offered), "refused: nothing will drain the queue");
        assertEquals(1, q.dropped());
        assertEquals(CAPACITY, q.accepted());
    }

    @Test
    void a_drain_that_stops_wakes_a_waiting_producer_to_ask_again_whether_waiting_helps() throws Exception {
        SendQueue q = queue(true);
        fill(q);
        CompletableFuture<Boolean> offered = offerFromProducer(q);
        await(q::roomWanted, "the producer to ask for room");
        awaitProducerAsleep();

        waitHelps.set(false); // a stream collector lost its connection, with neither spool nor fail-over
        q.drainStopped();
        assertFalse(outcome(offered));
        assertEquals(1, q.dropped());
    }

    @Test
    void an_interrupted_producer_stops_waiting_drops_its_packet_and_keeps_the_interrupt() throws Exception {
        SendQueue q = queue(true);
        fill(q);
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        CompletableFuture<Boolean> offered = new CompletableFuture<>();
        producer = new Thread(
                () -> {
                    offered.complete(q.offer(packet()));
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                },
                "producer");
        producer.start();
        awaitProducerAsleep();

        producer.interrupt();
        assertFalse(outcome(offered), "an interrupted producer gives up instead of spinning");
        producer.join(TimeUnit.SECONDS.toMillis(AWAIT_SECONDS));
        assertTrue(stillInterrupted.get(), "the interrupt is left for the thread's owner");
        assertEquals(1, q.dropped());
    }
}
