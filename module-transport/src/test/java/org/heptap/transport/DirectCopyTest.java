package org.heptap.transport;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The 8-byte copy into native memory writes exactly what writeBytes would, and nothing else. */
class DirectCopyTest {
    private final ByteBufAllocator pooled = PooledByteBufAllocator.DEFAULT;

    @Test
    void every_length_and_offset_lands_as_writeBytes_puts_it_and_leaves_the_bytes_around_it_alone() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] src = new byte[300];
        random.nextBytes(src);
        for (int len = 0; len <= 70; len++) {
            for (int off : new int[] {0, 1, 5, 8, 13, src.length - len}) {
                for (int before : new int[] {0, 3, 8}) {
                    ByteBuf buf = pooled.directBuffer(before + len + 16);
                    try {
                        assertTrue(buf.hasMemoryAddress(), "the pooled direct buffer is in native memory");
                        // a sentinel after the range shows a store past its end
                        buf.setBytes(0, filled(before + len + 16, (byte) 0x5a));
                        buf.writerIndex(before);
                        DirectCopy.writeBytes(buf, src, off, len);
                        assertEquals(before + len, buf.writerIndex(), "len " + len + " off " + off);
                        byte[] got = new byte[before + len + 16];
                        buf.getBytes(0, got);
                        byte[] want = filled(got.length, (byte) 0x5a);
                        System.arraycopy(src, off, want, before, len);
                        assertArrayEquals(want, got, "len " + len + " off " + off + " after " + before);
                    } finally {
                        buf.release();
                    }
                }
            }
        }
    }

    @Test
    void a_copy_longer_than_the_loop_takes_and_a_heap_buffer_go_through_writeBytes_with_the_same_result() {
        byte[] src = new byte[DirectCopy.LOOP_MAX + 100];
        new SplittableRandom(11).nextBytes(src);
        ByteBuf direct = pooled.directBuffer(16);
        ByteBuf heap = Unpooled.buffer(16);
        try {
            DirectCopy.writeBytes(direct, src, 3, src.length - 3); // grows the buffer as writeBytes does
            DirectCopy.writeBytes(heap, src, 3, 1000);
            assertArrayEquals(Arrays.copyOfRange(src, 3, src.length), bytes(direct));
            assertArrayEquals(Arrays.copyOfRange(src, 3, 1003), bytes(heap));
        } finally {
            direct.release();
            heap.release();
        }
    }

    @Test
    void a_range_outside_the_array_is_refused_before_anything_is_read() {
        byte[] src = new byte[64];
        ByteBuf buf = pooled.directBuffer(128);
        try {
            assertThrows(IndexOutOfBoundsException.class, () -> DirectCopy.writeBytes(buf, src, 60, 8));
            assertThrows(IndexOutOfBoundsException.class, () -> DirectCopy.writeBytes(buf, src, -1, 8));
            assertThrows(IndexOutOfBoundsException.class, () -> DirectCopy.writeBytes(buf, src, 0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> DirectCopy.writeBytes(buf, src, 8, Integer.MAX_VALUE));
            assertEquals(0, buf.writerIndex(), "nothing written");
        } finally {
            buf.release();
        }
    }

    private static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        Arrays.fill(a, b);
        return a;
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] a = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), a);
        return a;
    }
}
