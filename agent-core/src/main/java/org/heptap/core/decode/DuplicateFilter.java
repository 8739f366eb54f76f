package org.heptap.core.decode;

/**
 * Recognises a packet identical to one seen a moment ago (a SPAN port that mirrors both
 * directions of a switch, two taps on one link).
 *
 * <p>The IP packet's bytes are hashed (64 bits) into a fixed table of {@value #SLOTS} slots,
 * direct-mapped by the hash: a packet is a duplicate when its slot holds the same hash stored less
 * than the window ago. Memory is fixed and nothing is allocated; two different packets landing
 * in one slot within the window only make the older one forgettable, so a rare duplicate may pass
 * but a distinct packet is dropped only on a full 64-bit hash collision.
 */
public final class DuplicateFilter {
    static final int SLOTS = 1 << 16;

    private final long[] hashes = new long[SLOTS];
    private final long[] seenAt = new long[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    private final long windowMicros;
    private long dropped;

    public DuplicateFilter(long windowMicros) {
        this.windowMicros = windowMicros;
    }

    /** True when {@code data[from, to)} was seen within the window before {@code nowMicros}. */
    public boolean isDuplicate(byte[] data, int from, int to, long nowMicros) {
        long h = hash(data, from, to);
        int slot = (int) (h ^ (h >>> 29)) & (SLOTS - 1);
        if (used[slot] && hashes[slot] == h && Math.abs(nowMicros - seenAt[slot]) <= windowMicros) {
            // the first sighting starts the window: a copy of a copy is no fresher than the original
            dropped++;
            return true;
        }
        used[slot] = true;
        hashes[slot] = h;
        seenAt[slot] = nowMicros;
        return false;
    }

    public long dropped() {
        return dropped;
    }

    /** FNV-1a over the bytes, then a finaliser so the low bits (the slot) depend on all of them. */
    static long hash(byte[] data, int from, int to) {
        long h = 0xcbf29ce484222325L ^ (to - from);
        for (int i = from; i < to; i++) {
            h ^= data[i] & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
