package org.heptap.hep;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An allocator that remembers every buffer it made, so tests can check that none leaked. */
public final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> made = new CopyOnWriteArrayList<>();

    public TrackingAllocator() {
        super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return remember(Unpooled.buffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return remember(Unpooled.directBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    private ByteBuf remember(ByteBuf b) {
        made.add(b);
        return b;
    }

    public int allocated() {
        return made.size();
    }

    /** Buffers not released yet. */
    public long live() {
        return made.stream().filter(b -> b.refCnt() > 0).count();
    }
}
