package org.heptap.pcap;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.heptap.core.log.RateLimitedLog;

/**
 * The files of one pcap profile, written on the transport's thread: one open file per link type
 * (normally one), started on the first record after the last rotation, rotated by time and by
 * size, flushed regularly, and old files deleted by {@link Retention}. A write that fails (a full
 * disk, the directory gone) costs the records not yet flushed, counted in
 * {@link #writeFailed()} and logged at most once every few seconds; the next file is tried a
 * second later. Nothing here ever stops the agent.
 *
 * <p>Counters are written by the writer thread only and read racily by others.
 */
final class RotatingPcapFiles {
    private static final Logger LOG = System.getLogger(RotatingPcapFiles.class.getName());
    /** After a failure, records are counted lost without trying the disk for this long. */
    static final long RETRY_MILLIS = 1000;
    /** Records are made safe on disk at least this often while traffic flows. */
    static final long FLUSH_MILLIS = 1000;
    /** How often retention looks at the directory besides after each rotation. */
    static final long RETENTION_MILLIS = 5000;

    private final String transport;
    private final PcapSettings settings;
    private final FileNames names;
    private final Retention retention;
    private final FrameSynthesizer synth = new FrameSynthesizer();
    private final List<PcapFileOutput> open = new ArrayList<>(2);
    private final RateLimitedLog failureLog = RateLimitedLog.oncePer(10, TimeUnit.SECONDS);

    private long retryAt;
    private long lastFlush;
    private long lastRetention;

    private volatile long written;
    private volatile long writeFailed;
    private volatile long bytes;
    private volatile long files;
    private volatile long filesDeleted;
    private volatile int pending;

    RotatingPcapFiles(String transport, PcapSettings settings) {
        this.transport = transport;
        this.settings = settings;
        this.names = new FileNames(settings.baseName(), settings.gzip());
        this.retention = new Retention(
                settings.directory(),
                names,
                settings.maxTotalSize(),
                settings.maxAge().toMillis());
    }

    /** Records flushed to a file. */
    long written() {
        return written;
    }

    /** Records lost to failed writes (full disk, I/O errors). */
    long writeFailed() {
        return writeFailed;
    }

    /** Records written but not yet flushed. */
    int pending() {
        return pending;
    }

    /** Pcap bytes written (before compression). */
    long bytes() {
        return bytes;
    }

    long files() {
        return files;
    }

    long filesDeleted() {
        return filesDeleted;
    }

    /** Writes one record at wall-clock time {@code now} (rotating first when it is due). */
    void write(QueuedRecord r, long now) {
        rotateByTime(now);
        if (now < retryAt) {
            writeFailed++;
            return;
        }
        PcapFileOutput out = outputFor(r, now);
        if (out == null) {
            writeFailed++;
            return;
        }
        long before = out.pcapBytes();
        pending++; // the file counts it pending from here, so a failure below returns it as lost
        try {
            out.write(r, synth);
            bytes += out.pcapBytes() - before;
            if (settings.rotateSize() > 0 && out.size() >= settings.rotateSize()) {
                close(out);
                applyRetention(now);
            }
        } catch (IOException e) {
            fail(out, e, now);
        }
    }

    /** Between records and when idle: time rotation, regular flushes, retention. */
    void tick(long now, boolean idle) {
        rotateByTime(now);
        if (idle || now - lastFlush >= FLUSH_MILLIS) flushAll(now);
        if (retention.limits() && now - lastRetention >= RETENTION_MILLIS) applyRetention(now);
    }

    /** Flushes every open file (records then count as written). */
    void flushAll(long now) {
        lastFlush = now;
        for (PcapFileOutput out : new ArrayList<>(open)) {
            if (out.pending() == 0) continue;
            try {
                int n = out.flush();
                written += n;
                pending -= n;
            } catch (IOException e) {
                fail(out, e, now);
            }
        }
    }

    /** Closes every open file (at stop). */
    void closeAll(long now) {
        for (PcapFileOutput out : new ArrayList<>(open)) close(out);
        applyRetention(now);
    }

    private void rotateByTime(long now) {
        long interval = settings.rotateInterval().toMillis();
        if (interval <= 0 || open.isEmpty()) return;
        boolean rotated = false;
        for (PcapFileOutput out : new ArrayList<>(open)) {
            if (now - out.openedMillis() >= interval) {
                close(out);
                rotated = true;
            }
        }
        if (rotated) applyRetention(now);
    }

    private PcapFileOutput outputFor(QueuedRecord r, long now) {
        for (PcapFileOutput out : open) if (out.linkType() == r.linkType) return out;
        try {
            Files.createDirectories(settings.directory());
            for (int attempt = 0; ; attempt++) {
                Path p = settings.directory().resolve(names.name(now, r.linkType, attempt));
                try {
                    // nanoseconds when the source has them; the file keeps its precision to its end
                    PcapFileOutput out = PcapFileOutput.create(p, settings.gzip(), r.linkType, r.nanosecondTime, now);
                    open.add(out);
                    files++;
                    bytes += out.pcapBytes();
                    return out;
                } catch (FileAlreadyExistsException taken) {
                    if (attempt > 1000) throw taken;
                }
            }
        } catch (IOException e) {
            retryAt = now + RETRY_MILLIS;
            failed(settings.directory() + ": cannot start a file: " + reason(e));
            return null;
        }
    }

    private void close(PcapFileOutput out) {
        open.remove(out);
        try {
            int n = out.close();
            written += n;
            pending -= n;
        } catch (IOException e) {
            int lost = out.abandon();
            writeFailed += lost;
            pending -= lost;
            failed(out.path() + ": " + reason(e));
        }
    }

    private void fail(PcapFileOutput out, IOException e, long now) {
        open.remove(out);
        int lost = out.abandon();
        writeFailed += lost;
        pending -= lost;
        retryAt = now + RETRY_MILLIS;
        failed(out.path() + ": " + reason(e));
        applyRetention(now); // deleting old files may make room
    }

    private void failed(String what) {
        long heldBack = failureLog.tryAcquire();
        if (heldBack >= 0) {
            LOG.log(
                    Level.WARNING,
                    "transport " + transport + ": " + what + "; " + writeFailed
                            + " packets lost so far, capture goes on" + RateLimitedLog.suffix(heldBack));
        }
    }

    private void applyRetention(long now) {
        lastRetention = now;
        if (!retention.limits()) return;
        Set<Path> current = new HashSet<>();
        for (PcapFileOutput out : open) current.add(out.path());
        try {
            Retention.Pass pass = retention.run(now, current);
            filesDeleted += pass.deleted();
            for (String f : pass.failures()) failed("cannot delete " + f);
        } catch (IOException e) {
            failed(settings.directory() + ": retention cannot list the directory: " + reason(e));
        }
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) m = fs.getReason();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
