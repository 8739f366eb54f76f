package org.heptap.pcap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * One pcap file being written: the file (created 0640, never overwriting one), an optional gzip
 * stream, a buffer and the {@link PcapFileWriter}. Records are counted as written only once a
 * {@link #flush} got them to the file; when writing fails (a full disk) the file is cut back to
 * the last flush, so what stays on disk is a readable pcap and the records after it are the ones
 * reported lost.
 */
final class PcapFileOutput {
    /** rw-r-----: the agent's user writes, its group (e.g. an ops group) reads, others nothing. */
    static final Set<PosixFilePermission> MODE = Set.copyOf(PosixFilePermissions.fromString("rw-r-----"));

    private static final int BUFFER_BYTES = 1 << 16;

    private final Path path;
    private final FileChannel channel;
    private final GZIPOutputStream gzip;
    private final OutputStream buffered;
    private final PcapFileWriter writer;
    private final long openedMillis;
    /** File length after the last successful flush: a readable pcap up to here. */
    private long goodLength;
    /** Records written since the last flush. */
    private int pending;

    private PcapFileOutput(Path path, FileChannel channel, boolean gzip, int linkType, boolean nanos, long now)
            throws IOException {
        this.path = path;
        this.channel = channel;
        this.openedMillis = now;
        OutputStream file = Channels.newOutputStream(channel);
        // sync flush: every flush leaves a gzip stream zlib can read up to that point
        this.gzip = gzip ? new GZIPOutputStream(file, BUFFER_BYTES, true) : null;
        this.buffered = new BufferedOutputStream(this.gzip != null ? this.gzip : file, BUFFER_BYTES);
        this.writer = new PcapFileWriter(buffered, linkType, nanos);
    }

    /**
     * Creates {@code path} (failing if it exists) with mode 0640 and writes the pcap header.
     * On failure nothing is left behind.
     */
    static PcapFileOutput create(Path path, boolean gzip, int linkType, boolean nanos, long nowMillis)
            throws IOException {
        FileChannel ch = FileChannel.open(
                path,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(MODE));
        try {
            Files.setPosixFilePermissions(path, MODE); // the umask may have taken bits away
            PcapFileOutput out = new PcapFileOutput(path, ch, gzip, linkType, nanos, nowMillis);
            out.flush();
            return out;
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } finally {
                Files.deleteIfExists(path);
            }
            throw e;
        }
    }

    Path path() {
        return path;
    }

    int linkType() {
        return writer.linkType();
    }

    boolean nanos() {
        return writer.nanos();
    }

    long openedMillis() {
        return openedMillis;
    }

    int pending() {
        return pending;
    }

    /** Bytes the file takes: as flushed to disk with gzip, else the pcap bytes written. */
    long size() {
        return gzip != null ? goodLength : writer.bytes();
    }

    /** Pcap bytes written (before compression). */
    long pcapBytes() {
        return writer.bytes();
    }

    /** Writes one queued message: its frame, or synthesised headers and its payload. */
    void write(QueuedRecord r, FrameSynthesizer synth) throws IOException {
        pending++;
        if (!r.synthesize) {
            writer.write(r.timestampNanos, r.data, 0, r.length, r.wireLength);
            return;
        }
        int head = synth.synthesize(r.ipVersion, r.ipProtocol, r.src, r.dst, r.srcPort, r.dstPort, r.data, 0, r.length);
        writer.write(r.timestampNanos, synth.headers(), 0, head, r.data, 0, synth.payloadLength(), head + r.length);
    }

    /** Pushes everything written to the file; returns how many records that made safe. */
    int flush() throws IOException {
        buffered.flush();
        if (gzip != null) gzip.flush();
        goodLength = channel.position();
        int n = pending;
        pending = 0;
        return n;
    }

    /** Flushes, ends the gzip stream and closes; returns the records the final flush made safe. */
    int close() throws IOException {
        int n = flush();
        if (gzip != null) gzip.finish();
        channel.close();
        return n;
    }

    /**
     * After a failed write: cuts the file back to its last good length (best effort: a full disk
     * may refuse even that), closes it, and returns the records lost with it.
     */
    int abandon() {
        int lost = pending;
        pending = 0;
        try {
            channel.truncate(goodLength);
        } catch (IOException ignored) {
            // the records after goodLength are counted lost either way
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more can be saved from this file
        }
        return lost;
    }
}
