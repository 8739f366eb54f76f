package org.heptap.pcap;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a classic pcap file (not pcap-ng) to a stream: the 24-byte file header at construction,
 * then one record per frame. Little-endian, with the microsecond magic {@code a1b2c3d4} or the
 * nanosecond magic {@code a1b23c4d}; one link type for the whole file (a classic pcap file has no
 * other way to say it). The caller picks the stream: a file, a {@code GZIPOutputStream}, stdout;
 * this class buffers nothing itself beyond one record header, so wrap the stream in a buffer.
 *
 * <p>Not thread-safe: one writer belongs to one thread. Allocates nothing per record.
 */
public final class PcapFileWriter {
    public static final int MAGIC_MICROS = 0xa1b2c3d4;
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    public static final int FILE_HEADER_BYTES = 24;
    public static final int RECORD_HEADER_BYTES = 16;
    /** The snaplen written in the header: libpcap's largest, so no record is "beyond snaplen". */
    public static final int SNAPLEN = 262_144;

    private final OutputStream out;
    private final int linkType;
    private final boolean nanos;
    private final byte[] header = new byte[FILE_HEADER_BYTES];
    private long bytes;
    private long records;

    /**
     * Writes the file header to {@code out}.
     *
     * @param linkType the LINKTYPE of every frame that will be written (1 Ethernet, 276 Linux SLL2, ...)
     * @param nanos    nanosecond timestamps (magic a1b23c4d) instead of microseconds
     */
    public PcapFileWriter(OutputStream out, int linkType, boolean nanos) throws IOException {
        this.out = out;
        this.linkType = linkType;
        this.nanos = nanos;
        putInt(header, 0, nanos ? MAGIC_NANOS : MAGIC_MICROS);
        putShort(header, 4, 2); // version 2.4
        putShort(header, 6, 4);
        putInt(header, 8, 0); // thiszone: timestamps are UTC
        putInt(header, 12, 0); // sigfigs
        putInt(header, 16, SNAPLEN);
        putInt(header, 20, linkType);
        out.write(header, 0, FILE_HEADER_BYTES);
        bytes = FILE_HEADER_BYTES;
    }

    public int linkType() {
        return linkType;
    }

    public boolean nanos() {
        return nanos;
    }

    /** Bytes handed to the stream so far, the file header included (before any compression). */
    public long bytes() {
        return bytes;
    }

    public long records() {
        return records;
    }

    /**
     * One record: {@code length} bytes of {@code data} from {@code offset}, captured at
     * {@code timestampNanos} (nanoseconds since the epoch; a microsecond file truncates them),
     * {@code wireLength} bytes long on the wire (at least {@code length}). Frames longer than
     * {@link #SNAPLEN} are cut to it, the wire length kept.
     */
    public void write(long timestampNanos, byte[] data, int offset, int length, int wireLength) throws IOException {
        write(timestampNanos, data, offset, length, null, 0, 0, wireLength);
    }

    /**
     * One record made of two parts written back to back, e.g. synthesised headers
     * ({@link FrameSynthesizer}) and the payload they carry, so the payload is not copied into a
     * frame first. {@code wireLength} is at least the two lengths together.
     */
    public void write(
            long timestampNanos,
            byte[] head,
            int headOffset,
            int headLength,
            byte[] body,
            int bodyOffset,
            int bodyLength,
            int wireLength)
            throws IOException {
        int headKept = Math.min(headLength, SNAPLEN);
        int bodyKept = Math.min(bodyLength, SNAPLEN - headKept);
        int captured = headKept + bodyKept;
        long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long fraction = Math.floorMod(timestampNanos, 1_000_000_000L);
        putInt(header, 0, (int) seconds);
        putInt(header, 4, (int) (nanos ? fraction : fraction / 1000));
        putInt(header, 8, captured);
        putInt(header, 12, Math.max(wireLength, headLength + bodyLength));
        out.write(header, 0, RECORD_HEADER_BYTES);
        out.write(head, headOffset, headKept);
        if (bodyKept > 0) out.write(body, bodyOffset, bodyKept);
        bytes += RECORD_HEADER_BYTES + captured;
        records++;
    }

    /** Bytes a record of {@code capturedLength} adds to the file (before compression). */
    public static int recordBytes(int capturedLength) {
        return RECORD_HEADER_BYTES + Math.min(capturedLength, SNAPLEN);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }
}
