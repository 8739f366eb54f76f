package org.heptap.transport;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.heptap.core.spi.ModuleHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Slots go round between the thread that fills them and the one that releases them. */
@Timeout(60)
class DatagramBufferPoolTest {
    private final DatagramBufferPool pool = new DatagramBufferPool(4, PooledByteBufAllocator.DEFAULT);

    @Test
    void a_released_buffer_comes_back_empty_and_whole_to_be_taken_again() {
        ByteBuf a = pool.ioBuffer(100);
        assertTrue(a.isDirect() && a.hasMemoryAddress(), "sendmmsg takes it without a copy");
        assertEquals(0, a.writerIndex());
        a.writeBytes("INVITE".getBytes(StandardCharsets.US_ASCII));
        long address = a.memoryAddress();
        assertEquals(3, pool.free());
        assertTrue(a.release());
        assertEquals(4, pool.free());
        // the queue is a circle: take the other three, then the first comes round again
        List<ByteBuf> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) others.add(pool.ioBuffer(100));
        ByteBuf again = pool.ioBuffer(100);
        assertSame(a, again);
        assertEquals(1, again.refCnt());
        assertEquals(0, again.readerIndex());
        assertEquals(0, again.writerIndex());
        assertEquals(address, again.memoryAddress());
        assertTrue(again.capacity() >= 100);
        again.release();
        others.forEach(ByteBuf::release);
        assertEquals(4, pool.free());
    }

    @Test
    void a_request_larger_than_a_slot_or_with_every_slot_out_is_served_elsewhere_and_counts_no_slot() {
        ByteBuf big = pool.ioBuffer(DatagramBufferPool.SLOT_SIZE + 1);
        assertEquals(4, pool.free(), "too large for a slot");
        List<ByteBuf> taken = new ArrayList<>();
        for (int i = 0; i < 4; i++) taken.add(pool.ioBuffer(64));
        assertEquals(0, pool.free());
        ByteBuf extra = pool.ioBuffer(64);
        assertTrue(extra.isDirect());
        extra.writeLong(42);
        extra.release();
        big.release();
        assertEquals(0, pool.free(), "neither was a slot");
        taken.forEach(ByteBuf::release);
        assertEquals(4, pool.free());
    }

    @Test
    void a_second_release_or_a_write_after_release_fails_as_with_any_buffer_and_gives_nothing_back_twice() {
        ByteBuf a = pool.ioBuffer(100);
        a.writerIndex(50).markWriterIndex().writerIndex(60);
        assertTrue(a.release());
        assertEquals(4, pool.free());
        assertThrows(IllegalReferenceCountException.class, a::release);
        assertThrows(IllegalReferenceCountException.class, () -> a.writeInt(1));
        assertEquals(4, pool.free(), "given back once");
        List<ByteBuf> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) all.add(pool.ioBuffer(100));
        Map<ByteBuf, Boolean> distinct = new IdentityHashMap<>();
        all.forEach(b -> distinct.put(b, true));
        assertEquals(4, distinct.size(), "four different buffers: none handed out twice");
        ByteBuf again = all.stream().filter(b -> b == a).findFirst().orElseThrow();
        again.resetWriterIndex();
        assertEquals(0, again.writerIndex(), "the last datagram's mark is gone");
        all.forEach(ByteBuf::release);
    }

    @Test
    void a_pool_without_slots_serves_every_buffer_from_the_fallback_and_a_configurations_collectors_share_one_pool() {
        DatagramBufferPool none = new DatagramBufferPool(0, PooledByteBufAllocator.DEFAULT);
        ByteBuf b = none.ioBuffer(100);
        assertTrue(b.isDirect());
        b.writeInt(7);
        assertTrue(b.release());
        assertEquals(0, none.free());
        ModuleHooks configuration = new ModuleHooks();
        DatagramBufferPool pool = DatagramBufferPool.of(configuration);
        assertSame(pool, DatagramBufferPool.of(configuration), "one pool, whatever the number of collectors");
        assertEquals(DatagramBufferPool.DEFAULT_SLOTS, pool.slots());
        assertNotSame(pool, DatagramBufferPool.of(new ModuleHooks()), "another configuration, another pool");
    }

    @Test
    void a_buffer_written_past_its_slot_grows_and_its_release_returns_the_slot_without_the_growth() {
        ByteBuf a = pool.ioBuffer(100, 65507);
        long slotAddress = a.memoryAddress();
        byte[] doc = new byte[DatagramBufferPool.SLOT_SIZE * 3];
        for (int i = 0; i < doc.length; i++) doc[i] = (byte) i;
        a.writeBytes(doc);
        assertNotEquals(slotAddress, a.memoryAddress(), "moved into memory of its own");
        byte[] back = new byte[doc.length];
        a.getBytes(0, back);
        assertArrayEquals(doc, back);
        assertEquals(65507, a.maxCapacity());
        a.release();
        assertEquals(4, pool.free());
        Map<Long, Boolean> addresses = new java.util.HashMap<>();
        List<ByteBuf> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ByteBuf b = pool.ioBuffer(10);
            assertEquals(0, b.writerIndex());
            assertTrue(b.capacity() <= DatagramBufferPool.SLOT_SIZE, "the slot, not the grown memory");
            addresses.put(b.memoryAddress(), true);
            all.add(b);
        }
        assertTrue(addresses.containsKey(slotAddress), "the slot is in use again");
        all.forEach(ByteBuf::release);
    }

    @Test
    void buffers_filled_on_one_thread_and_released_on_another_all_come_back_with_their_contents_intact()
            throws Exception {
        DatagramBufferPool shared = new DatagramBufferPool(64, PooledByteBufAllocator.DEFAULT);
        BlockingQueue<ByteBuf> wire = new ArrayBlockingQueue<>(1024);
        int n = 20_000;
        Map<ByteBuf, Boolean> seen = new IdentityHashMap<>();
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    ByteBuf b = wire.poll(30, TimeUnit.SECONDS);
                    if (b == null) return;
                    // what the filling thread wrote is what the releasing thread reads
                    if (b.readInt() != i || b.readableBytes() != i % 1500) return;
                    b.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        try {
            for (int i = 0; i < n; i++) {
                ByteBuf b = shared.ioBuffer(4 + i % 1500);
                synchronized (seen) {
                    seen.put(b, true);
                }
                b.writeInt(i);
                b.writeZero(i % 1500);
                assertTrue(wire.offer(b, 30, TimeUnit.SECONDS));
            }
        } finally {
            sender.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertFalse(sender.isAlive());
        assertTrue(wire.isEmpty(), "the releasing thread read every buffer as written");
        assertEquals(64, shared.free(), "every slot came back");
        assertTrue(seen.size() < n, "slots were reused, not made anew (" + seen.size() + " buffers)");
    }
}
