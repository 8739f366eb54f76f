package org.heptap.ring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.heptap.core.config.ConfigNode;

/**
 * {@code modules.ring}: how much recent traffic the ring keeps and where.
 *
 * @param size      bytes kept in all (memory and disk); 0: no ring
 * @param memory    bytes of it in the heap; the rest spills to {@code directory}
 * @param directory spill directory; null: a private one under the system's temporary directory
 * @param maxAge    frames older than this (capture time, behind the newest) are evicted; zero: no limit
 * @param calls     calls remembered for finding their frames (Call-ID, users, SDP addresses)
 * @param sockets   capture sockets that feed the ring; empty: all
 */
record RingSettings(long size, long memory, Path directory, Duration maxAge, int calls, Set<String> sockets) {
    static final long DEFAULT_MEMORY = 8L << 20;
    static final int DEFAULT_CALLS = 10_000;
    /** The largest ring: far beyond any disk the agent should fill with calls. */
    static final long MAX_SIZE = 1L << 40;

    static final RingSettings OFF = new RingSettings(0, 0, null, Duration.ZERO, DEFAULT_CALLS, Set.of());

    boolean on() {
        return size > 0;
    }

    long disk() {
        return size - memory;
    }

    /** Reads {@code section}, reporting wrong values on their keys; {@code heapBytes} bounds the memory. */
    static RingSettings read(ConfigNode section, long heapBytes) {
        long size = section.size("size", 0);
        if (size > MAX_SIZE) {
            section.child("size").error(size + " is more than the largest ring (1 TB)");
            size = 0;
        }
        long memory = section.size("memory", Math.min(size, DEFAULT_MEMORY));
        String dir = section.string("directory", null);
        Duration maxAge = section.duration("max-age", Duration.ZERO);
        int calls = (int) section.integer("calls", DEFAULT_CALLS, 16, 1_000_000);
        Set<String> sockets = Set.copyOf(section.strings("sockets"));
        section.finish();
        if (size == 0) return OFF;
        if (memory < (256 << 10)) {
            section.child("memory").error(memory + " bytes is too little: the ring needs at least 256k of memory");
            memory = Math.min(size, DEFAULT_MEMORY);
        } else if (memory > size) {
            (section.has("memory") ? section.child("memory") : section.child("size"))
                    .error("memory (" + memory + " bytes) is more than the ring's size (" + size + " bytes)");
        } else if (memory > heapBytes / 2) {
            section.child("memory")
                    .error(
                            memory / (1 << 20) + " MB does not fit in the agent's heap (" + heapBytes / (1 << 20)
                                    + " MB; the ring may take half): spill the rest to disk (size above memory) or raise -Xmx in JAVA_OPTS");
        }
        return new RingSettings(
                size, memory, dir == null || dir.isBlank() ? null : Path.of(dir), maxAge, calls, sockets);
    }
}
