package org.heptap.core.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heptap.core.decode.DecodeResult;

/**
 * Counters of one socket's pipeline. Written by the socket's own thread only (one writer); read
 * by others (heptapctl stats, the metrics endpoint, the final log line).
 *
 * <p>The writer counts with a plain read and an opaque write (no lock, no allocation, no fence
 * on x86), so a reader never sees a torn or stale-forever value. Each packet is counted between
 * {@link #begin()} and {@link #end()}, which move a sequence number (odd while a packet is being
 * counted). {@link #reading()} returns the counters as of a packet boundary, so every ledger
 * stage built from it balances even while packets flow: it copies them directly while the
 * writer is between packets (idle, waiting for the next one), and otherwise asks the writer,
 * which copies them into a buffer of its own at the end of its current packet.
 */
public final class SocketStats {
    static final int FRAMES = 0;
    static final int DECODED = 1;
    static final int DECODE_FAILED = 2;
    static final int NOT_ADMITTED = 3;
    static final int PLAN_RUNS = 4;
    static final int PLAN_DROPPED = 5;
    static final int SENDS = 6;
    static final int SEND_REFUSED = 7;
    static final int SENT_MESSAGES = 8;
    static final int UNSENT_MESSAGES = 9;
    static final int PLAN_ERRORS = 10;
    /** Frames read while the socket was paused (heptapctl pause): read so the kernel never drops, not decoded. */
    static final int PAUSED_FRAMES = 11;
    /** Messages from or to an address of the socket's {@code discard-ips}. */
    static final int DISCARDED_IP = 12;
    /** TCP segments handed to stream reassembly: they reach the plan as the messages framed from them. */
    static final int STREAM_SEGMENTS = 13;
    /** Messages framed from TCP streams. */
    static final int STREAM_MESSAGES = 14;
    /** Frames per {@link DecodeResult}, from here by ordinal: the decode stage of the loss ledger. */
    private static final int DECODE_RESULTS = 15;
    /** What each module discard list dropped, from here by list (see {@link #declareDiscardLists}). */
    private static final int DISCARDS = DECODE_RESULTS + DecodeResult.values().length;

    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle SEQUENCE = field("sequence");
    private static final VarHandle COPY_SEQUENCE = field("copySequence");
    private static final VarHandle REQUESTED = field("requested");
    private static final VarHandle SERVED = field("served");

    private static VarHandle field(String name) {
        try {
            return MethodHandles.lookup().findVarHandle(SocketStats.class, name, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How long a reader waits for a packet boundary before it takes the counters as they are. */
    private static final long READ_PATIENCE_NANOS = 100_000_000L;

    /** Counter names of the socket's module discard lists (same order as their counters). */
    private String[] discardNames = new String[0];
    /** Every counter, indexed as above; replaced only before the first packet. */
    private long[] counts = new long[DISCARDS];
    /** Odd while the writer is counting a packet. */
    @SuppressWarnings("unused") // through SEQUENCE
    private long sequence;
    /** The counters as the writer copied them at a packet boundary, for a reader that asked. */
    private long[] copy = new long[DISCARDS];
    /** Odd while the writer is filling {@link #copy}. */
    @SuppressWarnings("unused") // through COPY_SEQUENCE
    private long copySequence;
    /** Copies asked for by readers, and the last one the writer made (through REQUESTED, SERVED). */
    @SuppressWarnings("unused")
    private long requested;

    @SuppressWarnings("unused")
    private long served;

    // ---- the socket's thread

    /** The socket's thread starts counting a packet. */
    void begin() {
        SEQUENCE.setOpaque(this, (long) SEQUENCE.get(this) + 1);
        VarHandle.storeStoreFence(); // the odd sequence is visible before any count of this packet
    }

    /** The socket's thread has counted everything of the packet. */
    void end() {
        SEQUENCE.setRelease(this, (long) SEQUENCE.get(this) + 1);
        long asked = (long) REQUESTED.getOpaque(this);
        if (asked != (long) SERVED.get(this)) copyFor(asked);
    }

    /** Copies the counters for the readers that asked (up to request {@code asked}). */
    private void copyFor(long asked) {
        long[] c = counts;
        long[] into = copy;
        COPY_SEQUENCE.setOpaque(this, (long) COPY_SEQUENCE.get(this) + 1);
        VarHandle.storeStoreFence();
        for (int i = 0; i < c.length; i++) COUNT.setOpaque(into, i, c[i]);
        COPY_SEQUENCE.setRelease(this, (long) COPY_SEQUENCE.get(this) + 1);
        SERVED.setRelease(this, asked);
    }

    /** One more of {@code counter}. */
    void add(int counter) {
        long[] c = counts;
        COUNT.setOpaque(c, counter, c[counter] + 1);
    }

    void addDecodeResult(DecodeResult r) {
        add(DECODE_RESULTS + r.ordinal());
    }

    void addDiscarded(int list) {
        add(DISCARDS + list);
    }

    /** The count as the socket's thread sees it (its own writes). */
    long own(int counter) {
        return counts[counter];
    }

    /** Declares the socket's module discard lists (once, before the first packet). */
    void declareDiscardLists(String[] names) {
        discardNames = names.clone();
        counts = new long[DISCARDS + names.length];
        copy = new long[DISCARDS + names.length];
    }

    // ---- any thread

    private SocketStats(String[] names, long[] counts) {
        this.discardNames = names;
        this.counts = counts;
    }

    public SocketStats() {}

    /**
     * The counters as of a packet boundary, frozen (a copy: its getters no longer move). Waits
     * at most {@value #READ_PATIENCE_NANOS} ns for the current one — a plan blocked on a full
     * transport queue (file replay) holds a packet open — and then returns the writer's last copy.
     */
    public SocketStats reading() {
        long[] out = new long[counts.length];
        long ticket = 0;
        long deadline = System.nanoTime() + READ_PATIENCE_NANOS;
        while (true) {
            // between packets (the writer idle): read them directly
            if (copyStable(SEQUENCE, counts, out)) break;
            // in a packet: the writer copies them when it ends it
            if (ticket == 0) ticket = (long) REQUESTED.getAndAdd(this, 1L) + 1;
            if ((long) SERVED.getAcquire(this) >= ticket && copyStable(COPY_SEQUENCE, copy, out)) break;
            long late = System.nanoTime() - deadline;
            // the writer is held inside one packet (descheduled, or blocked on a full queue):
            // the last copy it made is older but still a packet boundary
            if (late > 0 && copyStable(COPY_SEQUENCE, copy, out)) break;
            if (late > READ_PATIENCE_NANOS) {
                for (int i = 0; i < out.length; i++) out[i] = (long) COUNT.getOpaque(counts, i);
                break;
            }
            Thread.onSpinWait();
        }
        return new SocketStats(discardNames, out);
    }

    /** Copies {@code from} into {@code out}; false when the writer was in the middle of changing it (guarded by {@code sequence}). */
    private boolean copyStable(VarHandle sequence, long[] from, long[] out) {
        long before = (long) sequence.getAcquire(this);
        if ((before & 1) != 0) return false;
        for (int i = 0; i < out.length; i++) out[i] = (long) COUNT.getOpaque(from, i);
        VarHandle.loadLoadFence(); // the copy is read before the sequence is checked again
        return (long) sequence.getOpaque(this) == before;
    }

    private long get(int counter) {
        return (long) COUNT.getOpaque(counts, counter);
    }

    public Map<String, Long> snapshot() {
        SocketStats r = reading();
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("frames", r.frames());
        m.put("decoded", r.decoded());
        m.put("decode-failed", r.decodeFailed());
        m.put("filtered", r.notAdmitted());
        m.put("plan-runs", r.get(PLAN_RUNS));
        m.put("sent-messages", r.sentMessages());
        m.put("skipped-messages", r.skippedMessages());
        m.put("transport-sends", r.transportSends());
        m.put("transport-refused", r.transportRefused());
        m.put("plan-errors", r.planErrors());
        m.put("discarded-ip", r.discardedIp());
        m.putAll(r.discardedByList());
        return m;
    }

    public long frames() {
        return get(FRAMES);
    }

    public long decoded() {
        return get(DECODED);
    }

    public long decodeFailed() {
        return get(DECODE_FAILED);
    }

    public long sentMessages() {
        return get(SENT_MESSAGES);
    }

    public long skippedMessages() {
        return get(UNSENT_MESSAGES);
    }

    public long notAdmitted() {
        return get(NOT_ADMITTED);
    }

    public long planErrors() {
        return get(PLAN_ERRORS);
    }

    public long planDropped() {
        return get(PLAN_DROPPED);
    }

    public long transportSends() {
        return get(SENDS);
    }

    public long transportRefused() {
        return get(SEND_REFUSED);
    }

    public long pausedFrames() {
        return get(PAUSED_FRAMES);
    }

    public long discardedIp() {
        return get(DISCARDED_IP);
    }

    public long streamSegments() {
        return get(STREAM_SEGMENTS);
    }

    public long streamMessages() {
        return get(STREAM_MESSAGES);
    }

    public long decodeResult(DecodeResult r) {
        return get(DECODE_RESULTS + r.ordinal());
    }

    /** What each module discard list of the socket dropped, by counter name (e.g. {@code discarded-method}). */
    public Map<String, Long> discardedByList() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < discardNames.length; i++) m.put(discardNames[i], get(DISCARDS + i));
        return m;
    }

    @Override
    public String toString() {
        return "SocketStats" + Arrays.toString(counts);
    }
}
