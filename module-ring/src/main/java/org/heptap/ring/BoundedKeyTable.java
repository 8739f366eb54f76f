package org.heptap.ring;

/**
 * A map from 64-bit keys (hashes of a Call-ID or of a media address) to call numbers, holding at
 * most {@code capacity} keys: the key put longest ago goes first (counted in {@link #evicted()}).
 * Open addressing with linear probing over preallocated arrays, so {@link #get} and {@link #put}
 * allocate nothing. One writer at a time (the ring's recorder, under its index lock); {@link #get}
 * may run beside it as an optimistic read the caller validates afterwards, so it gives up after
 * one pass over the slots instead of trusting a table that changes under it to end its probe.
 */
final class BoundedKeyTable {
    private static final long EMPTY = 0;

    private final int capacity;
    private final int mask;
    private final long[] keys;
    private final long[] values;
    /** The put number of each slot's key, so the FIFO removes only the put it remembers. */
    private final long[] puts;
    /** Keys in the order they were put, {@code capacity} of them, indexed by put number. */
    private final long[] order;

    private long putCount;
    private int size;
    private long evicted;

    BoundedKeyTable(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2;
        this.mask = slots - 1;
        this.keys = new long[slots];
        this.values = new long[slots];
        this.puts = new long[slots];
        this.order = new long[capacity];
    }

    /** The value of {@code key}, or 0 when it is not in the table. */
    long get(long key) {
        key = nonZero(key);
        for (int i = slot(key), n = 0; n <= mask; i = (i + 1) & mask, n++) {
            long k = keys[i];
            if (k == EMPTY) return 0;
            if (k == key) return values[i];
        }
        return 0;
    }

    /**
     * Maps {@code key} to {@code value} (non-zero). A key already there takes the new value and
     * keeps its place in the eviction order; a new key evicts the oldest when the table is full.
     */
    void put(long key, long value) {
        key = nonZero(key);
        int i = slot(key);
        for (; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == EMPTY) break;
        }
        if (putCount >= capacity) {
            long oldPut = putCount - capacity;
            long oldKey = order[(int) (oldPut % capacity)];
            int at = find(oldKey);
            if (at >= 0 && puts[at] == oldPut) {
                removeAt(at);
                evicted++;
            }
            // the removal may have moved slots: find this key's slot again
            i = slot(key);
            while (keys[i] != EMPTY) i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        puts[i] = putCount;
        order[(int) (putCount % capacity)] = key;
        putCount++;
        size++;
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    /** Keys removed to make room for newer ones. */
    long evicted() {
        return evicted;
    }

    private int find(long key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == EMPTY) return -1;
            if (k == key) return i;
        }
    }

    /** Backward-shift deletion: no tombstones, so probes stay short however long the table runs. */
    private void removeAt(int i) {
        size--;
        int hole = i;
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            // move j into the hole when its home is not cyclically within (hole, j]
            boolean stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!stays) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                puts[hole] = puts[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        values[hole] = 0;
        puts[hole] = 0;
    }

    private int slot(long key) {
        return (int) (mix(key) & mask);
    }

    /** 0 marks an empty slot: key 0 is stored as another constant (keys are hashes: a collision like any other). */
    private static long nonZero(long key) {
        return key == EMPTY ? ZERO_KEY : key;
    }

    private static final long ZERO_KEY = 0x9e3779b97f4a7c15L;

    /** The finaliser of MurmurHash3: spreads keys whose low bits are alike. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** A 64-bit hash of bytes (FNV-1a, then {@link #mix}). */
    static long hash(byte[] b, int off, int len, long seed) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (int i = off; i < off + len; i++) {
            h ^= b[i] & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h ^ len);
    }
}
