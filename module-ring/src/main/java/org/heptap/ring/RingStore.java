package org.heptap.ring;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.heptap.core.log.RateLimitedLog;

/**
 * The ring's records: a fixed pool of memory buffers ({@code memory} bytes in segments), the
 * older segments spilled to files ({@code disk} bytes) when the ring may spill, the oldest
 * evicted when memory and disk are full or older than {@code max-age} (capture time).
 *
 * <p>Writers ({@link #append}, on any number of capture threads at once) copy each frame once into
 * the newest segment and never wait for the disk or for each other: a writer reserves its
 * record's bytes with one atomic add and publishes the record by writing its length last, so the
 * only lock writers take is the one around starting the next segment (once per segment, not per
 * frame). A full segment is handed to the keeper thread, which spills, evicts and refills the pool
 * of free buffers. When no free buffer is left (the keeper behind) a live writer drops the frame
 * (counted); an offline writer (a file replay) waits for the keeper instead, as transports do,
 * since nothing upstream can overflow.
 *
 * <p>Readers ({@link #scan}) see every record published so far in the order writers reserved it
 * (capture order on each thread); while one reads, the keeper does not hand a buffer it reads back
 * to the writers (a read-write lock the writers never take).
 */
final class RingStore implements AutoCloseable {
    private static final Logger LOG = System.getLogger(RingStore.class.getName());
    /** length 4, time 8, flags 4, link type 4, wire length 4, call 8, captured length 4. */
    static final int HEADER = 36;

    static final int FLAG_NANOS = 1;
    /** A signalling message (it carries the call's Call-ID), as opposed to media on its addresses. */
    static final int FLAG_SIGNALLING = 2;
    /** The call's first record (kept in the record so the keeper can count evicted calls). */
    private static final int FLAG_CALL_STARTS = 4;
    /** A record's length field, read and written with acquire/release: it publishes the record. */
    private static final VarHandle LENGTH = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final int segmentSize;
    private final int buffers;
    private final int reserve;
    private final long diskLimit;
    private final long maxAgeNanos;
    /** Where spill files go; null until the first spill when the ring makes its own. */
    private Path directory;
    /** True when the ring made {@link #directory} (a temporary one, removed at close). */
    private boolean ownDirectory;

    private final boolean offline;

    private final ArrayBlockingQueue<byte[]> free;
    private volatile int allocated;
    /** Sealed segments, oldest first; guarded by itself. */
    private final ArrayDeque<Segment> sealed = new ArrayDeque<>();
    /** The segment writers fill; replaced under {@link #rolling} and {@link #sealed}; null while no buffer is free. */
    private volatile Segment current;
    /** Held while a writer seals the newest segment and starts the next: once per segment. */
    private final ReentrantLock rolling = new ReentrantLock();

    private long nextSegment;
    private final AtomicLong newestTime = new AtomicLong(Long.MIN_VALUE);
    /** Set once a record with a nanosecond time was kept: exports then keep the nanoseconds. */
    private volatile boolean anyNanos;

    private volatile long diskBytes;
    private final ReentrantReadWriteLock reading = new ReentrantReadWriteLock();
    private final Thread keeper;
    private volatile boolean closed;
    private final RateLimitedLog diskLog = new RateLimitedLog(1, 60_000_000_000L, System::nanoTime);

    // counters: writers' in adders, the keeper's on its thread; read racily
    private final LongAdder frames = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder droppedNoBuffer = new LongAdder();
    private final LongAdder droppedOversize = new LongAdder();
    private volatile long segmentsSpilled;
    private volatile long segmentsEvicted;
    private volatile long framesEvicted;
    private volatile long callsEvicted;
    private volatile long diskErrors;

    /**
     * @param memory    bytes of memory buffers
     * @param disk      bytes the spill files may take; 0: no spilling, the oldest memory is evicted
     * @param directory where spill files go (created when missing); null: a private temporary
     *                  directory made at the first spill and removed at close; unused when {@code disk} is 0
     * @param maxAgeNanos records older than this before the newest are evicted; 0: no age limit
     * @param offline   writers wait for a free buffer instead of dropping (file replay)
     */
    RingStore(long memory, long disk, Path directory, long maxAgeNanos, boolean offline) throws IOException {
        this(memory, disk, directory, maxAgeNanos, offline, true);
    }

    /** @param keeping false: no keeper thread, the caller runs {@link #maintain} (tests) */
    RingStore(long memory, long disk, Path directory, long maxAgeNanos, boolean offline, boolean keeping)
            throws IOException {
        this.segmentSize = segmentSize(memory);
        this.buffers = (int) Math.max(2, memory / segmentSize);
        this.reserve = Math.max(1, buffers / 8);
        this.diskLimit = disk;
        this.maxAgeNanos = maxAgeNanos;
        this.directory = directory;
        this.offline = offline;
        this.free = new ArrayBlockingQueue<>(buffers);
        if (disk > 0 && directory != null) {
            Files.createDirectories(directory);
            removeOldSpillFiles();
        }
        for (int i = 0; i < reserve + 1; i++) addBuffer();
        current = new Segment(nextSegment++, free.poll());
        keeper = new Thread(this::keep, "ring-keeper");
        keeper.setDaemon(true);
        if (keeping) keeper.start();
    }

    /** A power of two of at most an eighth of the memory, between 64 KiB and 4 MiB. */
    static int segmentSize(long memory) {
        long s = Long.highestOneBit(Math.max(1, memory / 8));
        return (int) Math.max(64 << 10, Math.min(4 << 20, s));
    }

    int segmentSizeBytes() {
        return segmentSize;
    }

    /** The largest frame a record holds. */
    int maxFrame() {
        return segmentSize - HEADER;
    }

    // ------------------------------------------------------------------ writers (any thread)

    /**
     * Appends a record; false when it was dropped (counted): no free buffer, or larger than a
     * segment. {@code callStarts}: this is the call's first record. Safe from several threads at
     * once; records of one thread keep their order.
     */
    boolean append(
            long timeNanos,
            int flags,
            int linkType,
            int wireLength,
            long call,
            boolean callStarts,
            byte[] data,
            int offset,
            int length) {
        int need = (HEADER + length + 3) & ~3; // lengths stay aligned for their acquire/release access
        if (need > segmentSize) {
            droppedOversize.increment();
            return false;
        }
        while (true) {
            Segment s = current;
            if (s == null) {
                s = roll(null);
                if (s == null) {
                    droppedNoBuffer.increment();
                    return false;
                }
            }
            int at = s.reserved.getAndAdd(need);
            if (at + need <= segmentSize) {
                byte[] b = s.buf; // the keeper recycles it only once this record is written
                putLong(b, at + 4, timeNanos);
                putInt(b, at + 12, flags | (callStarts ? FLAG_CALL_STARTS : 0));
                putInt(b, at + 16, linkType);
                putInt(b, at + 20, wireLength);
                putLong(b, at + 24, call);
                putInt(b, at + 32, length);
                System.arraycopy(data, offset, b, at + HEADER, length);
                LENGTH.setRelease(b, at, need); // publishes the record to readers
                s.written.addAndGet(need);
                break;
            }
            if (at <= segmentSize) {
                // this reservation crossed the end: the records before it are the segment
                s.end = at;
                roll(s);
            } else {
                awaitRoll(s);
            }
        }
        long newest = newestTime.get();
        while (timeNanos > newest && !newestTime.compareAndSet(newest, timeNanos)) newest = newestTime.get();
        if ((flags & FLAG_NANOS) != 0 && !anyNanos) anyNanos = true;
        frames.increment();
        bytes.add(length);
        return true;
    }

    /** Another writer crossed the end of {@code full} and starts the next segment: a moment's wait. */
    private void awaitRoll(Segment full) {
        for (int spins = 0; current == full; spins++) {
            if (spins < 100) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    /**
     * Seals {@code full} (when there is one) and starts a segment in a free buffer; returns the
     * newest segment, null when none could start (no free buffer). Writers that find the ring
     * with no segment race here; the lock lets one of them start it.
     */
    private Segment roll(Segment full) {
        rolling.lock();
        try {
            if (current != full) return current; // another writer started one meanwhile
            if (full != null) {
                // full holds at least one record: a record never needs more than a whole segment
                synchronized (sealed) {
                    sealed.addLast(full);
                    current = null;
                }
                LockSupport.unpark(keeper);
            }
            byte[] b = free.poll();
            while (b == null && offline && !closed) {
                LockSupport.unpark(keeper);
                try {
                    b = free.poll(10, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            if (b == null) return null;
            if (free.size() < reserve) LockSupport.unpark(keeper);
            Segment s = new Segment(nextSegment++, b);
            synchronized (sealed) {
                current = s;
            }
            return s;
        } finally {
            rolling.unlock();
        }
    }

    // ------------------------------------------------------------------ keeper

    private void keep() {
        while (!closed) {
            LockSupport.parkNanos(50_000_000L);
            try {
                maintain();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "ring: keeper failed (the ring goes on)", e);
            }
        }
    }

    /**
     * Refills the pool, spills or evicts the oldest memory, enforces the disk and age bounds.
     * Synchronized: two callers at once (the keeper and a test) would both pick
     * the same oldest segment and evict and count it twice. Nothing else takes this monitor, and it
     * is taken before the reading lock and {@link #sealed}, never while holding them, so it adds no
     * lock order writers or readers could deadlock with (writers take neither it nor the reading lock).
     */
    synchronized void maintain() {
        while (free.size() < reserve && allocated < buffers) addBuffer();
        while (free.size() < reserve) {
            Segment oldest = oldestInMemory();
            if (oldest == null || !summarise(oldest)) break; // a writer still finishes its record: next round
            if (diskLimit > 0 && spill(oldest)) {
                recycle(oldest, false);
            } else {
                recycle(oldest, true);
            }
        }
        while (diskBytes > diskLimit) {
            Segment oldest;
            synchronized (sealed) {
                oldest = sealed.peekFirst();
            }
            if (oldest == null) break;
            recycle(oldest, true);
        }
        long newest = newestTime.get();
        if (maxAgeNanos > 0 && newest != Long.MIN_VALUE) {
            while (true) {
                Segment oldest;
                synchronized (sealed) {
                    oldest = sealed.peekFirst();
                }
                if (oldest == null || !summarise(oldest) || oldest.lastTime >= newest - maxAgeNanos) break;
                recycle(oldest, true);
            }
        }
    }

    /**
     * Counts a sealed segment's frames, calls started and times once its writers are done (its
     * buffer still in memory: the keeper summarises before it spills or evicts); false while a
     * writer still writes into it.
     */
    private boolean summarise(Segment s) {
        if (s.summarised) return true;
        if (!s.complete()) return false;
        byte[] b = s.buf;
        for (int at = 0; at + HEADER <= s.end; at += getInt(b, at)) {
            long time = getLong(b, at + 4);
            if (s.frames == 0) s.firstTime = time;
            s.frames++;
            if ((getInt(b, at + 12) & FLAG_CALL_STARTS) != 0) s.callsStarted++;
            s.lastTime = Math.max(s.lastTime, time);
        }
        s.summarised = true;
        return true;
    }

    private void addBuffer() {
        free.offer(new byte[segmentSize]);
        allocated++;
    }

    private Segment oldestInMemory() {
        synchronized (sealed) {
            for (Segment s : sealed) if (s.inMemory()) return s;
        }
        return null;
    }

    /** Writes a sealed segment to its spill file; false (counted, logged) when the disk refuses. */
    private boolean spill(Segment s) {
        Path f = null;
        try {
            if (directory == null) {
                // made here, not at start: a configuration that is only checked leaves nothing behind
                directory = Files.createTempDirectory("heptap-ring-");
                ownDirectory = true;
            }
            f = directory.resolve(String.format("ring-%012d.seg", s.number));
        } catch (IOException e) {
            diskErrors++;
            long notLogged = diskLog.tryAcquire();
            if (notLogged >= 0)
                LOG.log(
                        Level.WARNING,
                        "ring: cannot make a spill directory: " + e.getMessage()
                                + "; the oldest calls are evicted instead" + RateLimitedLog.suffix(notLogged));
            return false;
        }
        try (FileChannel ch = FileChannel.open(
                f, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(s.buf, 0, s.end);
            while (b.hasRemaining()) ch.write(b);
        } catch (IOException e) {
            diskErrors++;
            long notLogged = diskLog.tryAcquire();
            if (notLogged >= 0)
                LOG.log(
                        Level.WARNING,
                        "ring: cannot spill to " + f + ": " + e.getMessage() + "; the oldest calls are evicted instead"
                                + RateLimitedLog.suffix(notLogged));
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // the disk is the problem already reported
            }
            return false;
        }
        s.file = f;
        diskBytes += s.end;
        segmentsSpilled++;
        return true;
    }

    /**
     * Takes a segment's buffer back into the pool once no reader reads it; with {@code evict} the
     * segment leaves the ring altogether (its spill file deleted, its calls counted as evicted).
     */
    private void recycle(Segment s, boolean evict) {
        reading.writeLock().lock();
        try {
            if (evict) {
                synchronized (sealed) {
                    sealed.remove(s);
                }
                segmentsEvicted++;
                framesEvicted += s.frames;
                callsEvicted += s.callsStarted;
                if (s.file != null) {
                    diskBytes -= s.end;
                    try {
                        Files.deleteIfExists(s.file);
                    } catch (IOException e) {
                        diskErrors++;
                    }
                    s.file = null;
                }
            }
            byte[] b = s.buf;
            s.buf = null;
            if (b != null) {
                // a reused buffer reads as empty until each record's length is written again
                Arrays.fill(b, 0, s.end, (byte) 0);
                free.offer(b);
            }
        } finally {
            reading.writeLock().unlock();
        }
    }

    private void removeOldSpillFiles() throws IOException {
        try (var files = Files.newDirectoryStream(directory, "ring-*.seg")) {
            for (Path f : files) Files.deleteIfExists(f);
        }
    }

    // ------------------------------------------------------------------ readers

    /** Every record published so far, oldest first. */
    void scan(RecordVisitor v) throws IOException {
        reading.readLock().lock();
        try {
            List<Segment> segs;
            synchronized (sealed) {
                segs = new ArrayList<>(sealed);
                if (current != null) segs.add(current);
            }
            byte[] fileBuf = null;
            for (Segment s : segs) {
                byte[] b = s.buf;
                int end = s.end;
                if (b == null) {
                    if (s.file == null) continue; // evicted before the lock was taken
                    if (fileBuf == null) fileBuf = new byte[segmentSize];
                    b = fileBuf;
                    readFile(s.file, b, end);
                }
                visit(b, end >= 0 ? end : segmentSize, v);
            }
        } finally {
            reading.readLock().unlock();
        }
    }

    private static void readFile(Path f, byte[] into, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(into, 0, length);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) throw new IOException(f + ": shorter than the ring wrote it");
            }
        }
    }

    /** The records up to {@code end}, stopping at one not yet published (a writer is still at it). */
    private static void visit(byte[] b, int end, RecordVisitor v) throws IOException {
        int at = 0;
        while (at + HEADER <= end) {
            int len = (int) LENGTH.getAcquire(b, at);
            if (len == 0) return;
            int cap = getInt(b, at + 32);
            v.record(
                    getLong(b, at + 4),
                    getInt(b, at + 12) & ~FLAG_CALL_STARTS,
                    getInt(b, at + 16),
                    getInt(b, at + 20),
                    getLong(b, at + 24),
                    b,
                    at + HEADER,
                    cap);
            at += len;
        }
    }

    // ------------------------------------------------------------------ state

    /** Bytes of memory buffers allocated (never more than the configured memory, rounded to segments). */
    long memoryBytes() {
        return (long) allocated * segmentSize;
    }

    long diskBytes() {
        return diskBytes;
    }

    /** Where spill files go; null while the ring has not made its own yet. */
    Path spillDirectory() {
        return directory;
    }

    long newestTime() {
        return newestTime.get();
    }

    boolean anyNanos() {
        return anyNanos;
    }

    /** Capture time of the oldest record still kept; {@link Long#MAX_VALUE} when there is none. */
    long oldestTime() {
        reading.readLock().lock();
        try {
            Segment s;
            synchronized (sealed) {
                s = sealed.peekFirst();
                if (s == null) s = current;
            }
            if (s == null) return Long.MAX_VALUE;
            if (s.summarised) return s.frames == 0 ? Long.MAX_VALUE : s.firstTime;
            byte[] b = s.buf; // not summarised: not spilled or evicted yet, so still in memory
            return b == null || (int) LENGTH.getAcquire(b, 0) == 0 ? Long.MAX_VALUE : getLong(b, 4);
        } finally {
            reading.readLock().unlock();
        }
    }

    Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("frames", frames.sum());
        c.put("bytes", bytes.sum());
        c.put("dropped-no-buffer", droppedNoBuffer.sum());
        c.put("dropped-oversize", droppedOversize.sum());
        c.put("segments-spilled", segmentsSpilled);
        c.put("segments-evicted", segmentsEvicted);
        c.put("frames-evicted", framesEvicted);
        c.put("calls-evicted", callsEvicted);
        c.put("disk-errors", diskErrors);
        c.put("memory-bytes", memoryBytes());
        c.put("disk-bytes", diskBytes);
        return c;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(keeper);
        try {
            if (keeper.isAlive()) keeper.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reading.writeLock().lock();
        try {
            synchronized (sealed) {
                for (Segment s : sealed) {
                    if (s.file != null) {
                        try {
                            Files.deleteIfExists(s.file);
                        } catch (IOException ignored) {
                            // best effort at stop: the next start removes left-overs
                        }
                    }
                }
                sealed.clear();
            }
            if (ownDirectory) {
                try {
                    Files.deleteIfExists(directory);
                } catch (IOException ignored) {
                    // a temporary directory: the system cleans it eventually
                }
            }
        } finally {
            reading.writeLock().unlock();
        }
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    static long getLong(byte[] b, int at) {
        return (long) getInt(b, at) << 32 | (getInt(b, at + 4) & 0xffffffffL);
    }
}
