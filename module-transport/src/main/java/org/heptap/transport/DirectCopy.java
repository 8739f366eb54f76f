package org.heptap.transport;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

/**
 * Appends bytes from a heap array to a buffer in native memory with plain 8-byte loads and stores.
 *
 * <p>Why not {@link ByteBuf#writeBytes(byte[], int, int)}: for a direct buffer it ends in {@code
 * Unsafe.copyMemory}, which the agent's JIT (C1 only, see bin/heptap) compiles to a call into the
 * VM with its checks and thread-state changes, some 0.2 µs whatever the length. A HEP packet made
 * two of them (its head and its payload), 5-6 % of a SIP replay's CPU (bench/README.md, issue 15).
 * C1 compiles {@code Unsafe.getLong}/{@code putLong} to single moves, so a loop of them is cheaper
 * for anything a datagram holds; above {@link #LOOP_MAX} bytes the VM's copy is used.
 */
public final class DirectCopy {
    /** Longer copies go through the VM's copy, which wins once the call's fixed cost is small beside it. */
    static final int LOOP_MAX = 8192;

    /** Plain 8-byte moves need Unsafe and a CPU that takes unaligned ones (x86, arm64). */
    private static final boolean USABLE = PlatformDependent.hasUnsafe() && PlatformDependent.isUnaligned();

    private DirectCopy() {}

    /** {@code dst.writeBytes(src, off, len)}, cheaper where {@code dst} lies in native memory. */
    public static void writeBytes(ByteBuf dst, byte[] src, int off, int len) {
        if (len > LOOP_MAX || !USABLE || !dst.hasMemoryAddress()) {
            dst.writeBytes(src, off, len);
            return;
        }
        // the loads below are unchecked: a wrong range must fail here, not read past the array
        if (off < 0 || len < 0 || off > src.length - len) {
            throw new IndexOutOfBoundsException("range " + off + "+" + len + " outside an array of " + src.length);
        }
        dst.ensureWritable(len);
        int w = dst.writerIndex();
        long at = dst.memoryAddress() + w;
        if (len >= Long.BYTES) {
            int i = 0;
            for (int last = len - Long.BYTES; i < last; i += Long.BYTES) {
                PlatformDependent.putLong(at + i, PlatformDependent.getLong(src, off + i));
            }
            // the last 8 bytes, overlapping what the loop wrote: no byte-by-byte tail
            int tail = len - Long.BYTES;
            PlatformDependent.putLong(at + tail, PlatformDependent.getLong(src, off + tail));
        } else {
            for (int i = 0; i < len; i++) PlatformDependent.putByte(at + i, src[off + i]);
        }
        dst.writerIndex(w + len);
    }
}
