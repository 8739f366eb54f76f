package org.heptap.transport;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a stream collector's queued packets go while it cannot write them, without a network. */
class OrderedOutboxTest {
    /** Test records: a 4-byte big-endian total length, then the bytes. */
    private static final RecordFraming LENGTH_PREFIXED = new RecordFraming() {
        @Override
        public int headerLength() {
            return 4;
        }

        @Override
        public int recordLength(ByteBuffer header) {
            return header.getInt(0);
        }
    };

    private final SendQueue queue = new SendQueue(16, false, () -> {}, () -> true);
    private final AtomicLong leftQueue = new AtomicLong();

    private static ByteBuf record(int n) {
        return Unpooled.buffer(8).writeInt(8).writeInt(n);
    }

    private OrderedOutbox outbox(Path spool) {
        StreamConfig c = new StreamConfig(
                "tcp",
                "127.0.0.1",
                9,
                16,
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                true,
                0,
                spool,
                1 << 20,
                null);
        return new OrderedOutbox("t", c, queue, leftQueue);
    }

    /** The next collector of a fail-over, taking everything. */
    private static final class Next implements PacketHandOver {
        final List<Integer> got = new ArrayList<>();

        @Override
        public boolean healthy() {
            return true;
        }

        @Override
        public boolean handOver(ByteBuf packet) {
            got.add(packet.getInt(4));
            packet.release();
            return true;
        }
    }

    @Test
    void whileTheFirstConnectionIsBeingMadePacketsWaitInTheQueue() {
        OrderedOutbox o = outbox(null);
        for (int i = 0; i < 3; i++) queue.offer(record(i));
        o.divert(false, false, new Next());
        assertFalse(queue.isEmpty());
        assertEquals(0, leftQueue.get());
    }

    @Test
    void afterAFailureTheNextCollectorTakesThemInOrder() {
        OrderedOutbox o = outbox(null);
        Next next = new Next();
        for (int i = 0; i < 5; i++) queue.offer(record(i));
        o.divert(false, true, next);
        assertEquals(List.of(0, 1, 2, 3, 4), next.got);
        assertTrue(queue.isEmpty());
        assertEquals(5, leftQueue.get());
    }

    @Test
    void withASpoolNewerPacketsGoBehindWhatItHoldsAndComeBackInOrder(@TempDir Path dir) throws Exception {
        OrderedOutbox o = outbox(dir);
        o.use(new Spool(dir, 1 << 20, LENGTH_PREFIXED));
        for (int i = 0; i < 3; i++) queue.offer(record(i));
        o.divert(false, true, null);
        assertEquals(3, o.buffered());
        for (int i = 3; i < 5; i++) queue.offer(record(i));
        o.divert(true, false, null); // connected again, but the spool is in use: behind it
        assertEquals(5, o.buffered());
        List<Integer> replayed = new ArrayList<>();
        ByteBuf b;
        while ((b = o.replayNext(ByteBufAllocator.DEFAULT)) != null) {
            replayed.add(b.getInt(4));
            b.release();
            o.replayDone();
        }
        assertEquals(List.of(0, 1, 2, 3, 4), replayed);
        assertFalse(o.spoolInUse());
        assertEquals(5, o.replayed());
        o.closeSpool();
    }
}
