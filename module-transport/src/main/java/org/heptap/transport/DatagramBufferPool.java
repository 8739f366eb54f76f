package org.heptap.transport;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.Queue;
import org.heptap.core.spi.ModuleHooks;

/**
 * Direct buffers for UDP datagrams, reused in a circle: a capture thread takes one and encodes a
 * record into it, a collector's sender thread releases it once {@code sendmmsg} has taken it, and
 * the release puts it back. A configuration's UDP collectors share one pool ({@link #of}), so its
 * memory does not grow with their number; like all of a run's state it goes with its
 * configuration (a reload makes a new one).
 *
 * <p>Why not Netty's pooled allocator alone: its thread caches and recycled buffer objects are
 * made for buffers released by the thread that took them. A datagram taken by a capture thread and
 * released by the sender went through four cross-thread hand-offs (the buffer object, the cached
 * memory and their bookkeeping) and, whenever a cache ran dry or over, a lock on the arena: some 7
 * % of a SIP replay's CPU on both threads (bench/README.md, issue 15). Here a buffer is a fixed
 * slot of one direct region, and taking and giving back are one queue operation each.
 *
 * <p>A request larger than a slot, or one that finds every slot out, is served by Netty's
 * allocator as before, so the pool bounds memory, never traffic. A slot's buffer written past its
 * slot (a JSON document longer than its estimate) grows into memory of its own like any Netty
 * buffer; its release frees that memory and returns the slot under a new buffer object.
 */
public final class DatagramBufferPool extends AbstractByteBufAllocator {
    /** Bytes per slot: a HEP packet of a SIP message with its SDP, most of them. */
    static final int SLOT_SIZE = 2048;
    /**
     * Slots (4 MB): what an offline queue holds plus the batch its sender is sending, so a reader
     * feeding one collector waits for room in the queue before it runs out of slots. Several
     * collectors share them; what does not fit comes from Netty's allocator.
     */
    static final int DEFAULT_SLOTS = 2 * UdpConfig.OFFLINE_QUEUE_SIZE;

    private static final System.Logger LOG = System.getLogger(DatagramBufferPool.class.getName());

    private final ByteBufAllocator fallback;
    private final Queue<SlotBuf> free;
    private final int slots;

    /** @param slots at least 2 (the queue's least size), or 0 for a pool that always uses {@code fallback} */
    DatagramBufferPool(int slots, ByteBufAllocator fallback) {
        super(true);
        this.slots = slots;
        this.fallback = fallback;
        this.free = slots == 0 ? null : PlatformDependent.newFixedMpmcQueue(slots);
        if (slots == 0) return;
        ByteBuffer region = ByteBuffer.allocateDirect(slots * SLOT_SIZE);
        for (int i = 0; i < slots; i++) {
            ByteBuffer slot = region.duplicate();
            slot.position(i * SLOT_SIZE).limit((i + 1) * SLOT_SIZE);
            free.offer(new SlotBuf(this, slot.slice()));
        }
    }

    /** The pool the UDP collectors of the configuration that owns {@code hooks} encode into, made on first use. */
    public static DatagramBufferPool of(ModuleHooks hooks) {
        return hooks.get(DatagramBufferPool.class, DatagramBufferPool::make);
    }

    /** A pool of {@link #DEFAULT_SLOTS}, or without slots when the JVM's direct memory has no room for them. */
    private static DatagramBufferPool make() {
        try {
            return new DatagramBufferPool(DEFAULT_SLOTS, ByteBufAllocator.DEFAULT);
        } catch (OutOfMemoryError e) {
            // the JVM's direct-memory limit (-XX:MaxDirectMemorySize) has no 4 MB left: slower, not broken
            LOG.log(
                    System.Logger.Level.WARNING,
                    "no direct memory for UDP datagram slots ({0}); datagrams are encoded in pooled buffers instead",
                    e.getMessage());
            return new DatagramBufferPool(0, ByteBufAllocator.DEFAULT);
        }
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        if (free != null && initialCapacity <= SLOT_SIZE && maxCapacity >= SLOT_SIZE) {
            SlotBuf buf = free.poll();
            if (buf != null) return buf.taken(maxCapacity);
        }
        return fallback.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return fallback.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    /** Slots free now (tests: every slot comes back once its datagram is sent or dropped). */
    int free() {
        return free == null ? 0 : free.size();
    }

    int slots() {
        return slots;
    }

    private void giveBack(SlotBuf buf) {
        // never full: there are as many places as buffers, and a buffer comes back once per taking
        // (a second release finds its count at 0 and throws, as Netty's own buffers do)
        if (!free.offer(buf)) throw new IllegalStateException("a datagram slot was given back twice");
    }

    /**
     * A slot's buffer; its last release gives it back to the pool instead of freeing memory. It
     * waits there released (count 0), so a stray second release or a write after release fails as
     * with any Netty buffer; taking it makes it live again.
     */
    private static final class SlotBuf extends UnpooledUnsafeDirectByteBuf {
        private final DatagramBufferPool pool;
        private final ByteBuffer slot;
        /** True once a write past the slot moved the contents into memory of their own. */
        private boolean grown;

        SlotBuf(DatagramBufferPool pool, ByteBuffer slot) {
            super(pool, slot, Integer.MAX_VALUE); // a given buffer is never freed by Netty
            this.pool = pool;
            this.slot = slot;
            clear(); // a buffer made around given memory starts out holding all of it
        }

        SlotBuf taken(int maxCapacity) {
            resetRefCnt();
            clear();
            markReaderIndex(); // nothing of the datagram sent before may be reached through a mark
            markWriterIndex();
            maxCapacity(maxCapacity);
            return this;
        }

        @Override
        protected ByteBuffer allocateDirect(int initialCapacity) {
            grown = true;
            return super.allocateDirect(initialCapacity);
        }

        @Override
        protected void deallocate() {
            if (grown) {
                super.deallocate(); // frees the grown memory, not the slot
                pool.giveBack(new SlotBuf(pool, slot));
                return;
            }
            pool.giveBack(this);
        }
    }
}
