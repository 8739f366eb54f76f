package org.heptap.pcap;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.heptap.core.message.Message;
import org.heptap.core.spi.Transport;

/**
 * A {@code type: pcap} profile: writes what plans send to it into rotating pcap files. {@link
 * #send} copies the message's captured frame (or, without one, its addresses, ports and payload)
 * into a pooled slot and queues it; the {@code pcap-NAME} thread writes ({@link RotatingPcapFiles}).
 * Capture threads never wait on the disk: with every slot taken a send is dropped and counted
 * ({@code dropped}); in a replay it waits for a slot instead.
 */
public final class PcapTransport implements Transport {
    /** Counter: messages a full queue refused. */
    static final String DROPPED = "dropped";
    /** Counter: messages lost because writing failed (full disk, I/O error). */
    static final String WRITE_FAILED = "write-failed";

    private static final long IDLE_POLL_MILLIS = 100;
    static final long CLOSE_WAIT_MILLIS = 10_000;

    private final String name;
    private final PcapSettings settings;
    private final boolean offline;
    private final LongSupplier clock;
    private final BlockingQueue<QueuedRecord> free;
    private final BlockingQueue<QueuedRecord> full;
    private final RotatingPcapFiles files;
    private final LongAdder dropped = new LongAdder();
    /** A record the writer took from the queue and has not finished with. */
    private volatile int inFlight;

    private volatile boolean running;
    private Thread writer;

    PcapTransport(String name, PcapSettings settings, boolean offline, LongSupplier wallClockMillis) {
        this.name = name;
        this.settings = settings;
        this.offline = offline;
        this.clock = wallClockMillis;
        this.free = new ArrayBlockingQueue<>(settings.queue());
        this.full = new ArrayBlockingQueue<>(settings.queue());
        for (int i = 0; i < settings.queue(); i++) free.add(new QueuedRecord());
        this.files = new RotatingPcapFiles(name, settings);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder("pcap files in ").append(settings.directory());
        if (!settings.rotateInterval().isZero())
            b.append(", a new file every ")
                    .append(settings.rotateInterval().toSeconds())
                    .append(" s");
        if (settings.rotateSize() > 0)
            b.append(", a new file at ").append(settings.rotateSize()).append(" bytes");
        if (settings.gzip()) b.append(", gzip");
        if (settings.maxTotalSize() > 0)
            b.append(", keeping at most ").append(settings.maxTotalSize()).append(" bytes");
        if (!settings.maxAge().isZero())
            b.append(", deleting files older than ")
                    .append(settings.maxAge().toSeconds())
                    .append(" s");
        return b.toString();
    }

    @Override
    public synchronized void start() {
        if (running) return;
        running = true;
        writer = new Thread(this::writeLoop, "pcap-" + name);
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public boolean send(Message message) {
        QueuedRecord r = free.poll();
        if (r == null) {
            if (!offline) {
                dropped.increment();
                return false;
            }
            try {
                r = free.take(); // a replay waits for the disk instead of losing packets
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                dropped.increment();
                return false;
            }
        }
        r.copyOf(message);
        full.add(r); // never full: there are as many slots as places in the queue
        return true;
    }

    private void writeLoop() {
        while (running || !full.isEmpty()) {
            QueuedRecord r;
            try {
                r = full.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // nobody interrupts this thread (an interrupt would close the file channel under
                // a write); close() stops it through running
                continue;
            }
            long now = clock.getAsLong();
            if (r != null) {
                inFlight = 1;
                try {
                    files.write(r, now);
                } finally {
                    r.release();
                    free.add(r);
                    inFlight = 0;
                }
            }
            files.tick(now, full.isEmpty());
        }
        files.closeAll(clock.getAsLong());
    }

    @Override
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (queued() > 0) {
            if (System.nanoTime() - deadline > 0 || !running) return queued() == 0;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private long queued() {
        return full.size() + inFlight + files.pending();
    }

    /**
     * Stops the writer once it has written what is queued and closed its files (waiting up to
     * {@value #CLOSE_WAIT_MILLIS} ms; a disk that slow leaves it finishing on its own, what it has
     * not written still counted as queued).
     */
    @Override
    public synchronized void close() {
        running = false;
        Thread w = writer;
        if (w == null) return;
        try {
            w.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("sent", files.written());
        c.put("bytes", files.bytes());
        c.put("queued", queued());
        c.put(DROPPED, dropped.sum());
        c.put(WRITE_FAILED, files.writeFailed());
        c.put("files", files.files());
        c.put("files-deleted", files.filesDeleted());
        return c;
    }
}
