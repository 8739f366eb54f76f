package org.heptap.rtp;

import java.util.Arrays;

/**
 * A fixed number of slots, each named by a key of {@code words} longs, found by an
 * open-addressing hash (linear probing, backward-shift removal) and kept in insertion order so
 * the oldest can be evicted first. Keys are written into the caller's reusable {@link #probe}
 * array, so finding, adding and removing allocate nothing.
 */
final class KeyedSlots {
    static final int NONE = -1;

    final long[] probe;
    private final int words;
    private final int capacity;
    private final long[] keys;
    private final int[] index; // hash → slot + 1, 0 = empty
    private final int mask;
    private final int[] older; // insertion-order list
    private final int[] newer;
    private final boolean[] used;
    private int oldest = NONE;
    private int newest = NONE;
    private int free; // free list threaded through newer[]
    private int size;

    KeyedSlots(int capacity, int words) {
        this.capacity = capacity;
        this.words = words;
        this.probe = new long[words];
        this.keys = new long[capacity * words];
        int n = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
        this.index = new int[n];
        this.mask = n - 1;
        this.older = new int[capacity];
        this.newer = new int[capacity];
        this.used = new boolean[capacity];
        for (int i = 0; i < capacity; i++) newer[i] = i + 1 < capacity ? i + 1 : NONE;
        free = capacity > 0 ? 0 : NONE;
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    boolean full() {
        return free == NONE;
    }

    int oldest() {
        return oldest;
    }

    /** The slot added after {@code s} ({@code s} in use), or {@link #NONE}: with {@link #oldest}, insertion order. */
    int newer(int s) {
        return newer[s];
    }

    /** The slot whose key equals {@link #probe}, or {@link #NONE}. */
    int find() {
        for (int h = hash() & mask; ; h = (h + 1) & mask) {
            int s = index[h] - 1;
            if (s < 0) return NONE;
            if (matches(s)) return s;
        }
    }

    /** Adds {@link #probe}'s key in a free slot (the caller evicts first when {@link #full()}). */
    int add() {
        int s = free;
        if (s == NONE) throw new IllegalStateException("no free slot");
        free = newer[s];
        System.arraycopy(probe, 0, keys, s * words, words);
        used[s] = true;
        int h = hash() & mask;
        while (index[h] != 0) h = (h + 1) & mask;
        index[h] = s + 1;
        older[s] = newest;
        newer[s] = NONE;
        if (newest != NONE) newer[newest] = s;
        else oldest = s;
        newest = s;
        size++;
        return s;
    }

    void remove(int s) {
        if (s < 0 || s >= capacity || !used[s]) return;
        System.arraycopy(keys, s * words, probe, 0, words);
        int h = hash() & mask;
        while (index[h] != s + 1) h = (h + 1) & mask;
        index[h] = 0;
        // backward-shift the entries after the hole that would no longer be found
        for (int j = (h + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int other = index[j] - 1;
            System.arraycopy(keys, other * words, probe, 0, words);
            int home = hash() & mask;
            if (((j - home) & mask) >= ((j - h) & mask)) {
                index[h] = index[j];
                index[j] = 0;
                h = j;
            }
        }
        if (older[s] != NONE) newer[older[s]] = newer[s];
        else oldest = newer[s];
        if (newer[s] != NONE) older[newer[s]] = older[s];
        else newest = older[s];
        used[s] = false;
        newer[s] = free;
        free = s;
        size--;
    }

    /** Whether slot {@code s} holds a key (slots never move, so callers may walk 0..capacity). */
    boolean used(int s) {
        return used[s];
    }

    long key(int s, int word) {
        return keys[s * words + word];
    }

    private boolean matches(int s) {
        int base = s * words;
        for (int i = 0; i < words; i++) if (keys[base + i] != probe[i]) return false;
        return true;
    }

    private int hash() {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < words; i++) h = (h ^ probe[i]) * 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 31));
    }

    void clear() {
        Arrays.fill(index, 0);
        Arrays.fill(used, false);
        for (int i = 0; i < capacity; i++) newer[i] = i + 1 < capacity ? i + 1 : NONE;
        free = capacity > 0 ? 0 : NONE;
        oldest = newest = NONE;
        size = 0;
    }
}
