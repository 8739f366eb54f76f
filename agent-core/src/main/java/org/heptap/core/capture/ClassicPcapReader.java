package org.heptap.core.capture;

import java.io.IOException;
import java.nio.ByteOrder;

/**
 * Classic libpcap files: a 24-byte file header, then records of a 16-byte header (seconds,
 * micro- or nanoseconds, captured length, wire length) and the frame.
 */
final class ClassicPcapReader implements CaptureFileReader {
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;

    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    /** libpcap's own sanity limit on a record (MAXIMUM_SNAPLEN), for files that give no snaplen. */
    private static final int DEFAULT_MAX_CAPLEN = 262_144;

    private static final int HARD_MAX_CAPLEN = 16 << 20;

    private final CaptureFileBuffer in;
    private final CaptureFileProblems problems;
    private final boolean nanos;
    private final int linkType;
    private final int snaplen;
    private final int maxCaplen;
    private long records;

    /** Reads the file header; {@code in} is positioned at the magic number. */
    ClassicPcapReader(CaptureFileBuffer in, CaptureFileProblems problems, String name) throws IOException {
        this.in = in;
        this.problems = problems;
        if (!in.ensure(FILE_HEADER)) {
            throw new IOException(name + ": truncated pcap file header (" + in.available() + " of 24 bytes)");
        }
        in.order(ByteOrder.BIG_ENDIAN);
        int magic = in.i32(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            // the file was written on a host of the other byte order
            in.order(ByteOrder.LITTLE_ENDIAN);
            magic = in.i32(0);
        }
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new IOException(name + ": not a classic pcap file");
        }
        nanos = magic == MAGIC_NANOS;
        long snaplen = in.u32(16);
        // bits 26-31 carry FCS information, not the link type (libpcap's LT_LINKTYPE)
        linkType = in.i32(20) & 0x03ffffff;
        // a record longer than the file's own snaplen is garbage (no writer produces one); a
        // snaplen of 0 (some writers' "unknown") falls back to libpcap's limit
        this.snaplen = (int) Math.min(HARD_MAX_CAPLEN, snaplen);
        maxCaplen = this.snaplen > 0 ? this.snaplen : DEFAULT_MAX_CAPLEN;
        in.consume(FILE_HEADER);
    }

    @Override
    public int next(Frame frame) throws IOException {
        if (!in.ensure(RECORD_HEADER)) {
            if (in.available() > 0) {
                problems.report(
                        "record",
                        records + 1,
                        in.offset(),
                        "truncated record header at end of file (" + in.available() + " of 16 bytes) after " + records
                                + " records");
                in.consume(in.available());
            }
            return PacketSource.END;
        }
        long seconds = in.u32(0);
        long fraction = in.u32(4);
        int caplen = in.i32(8);
        int wirelen = in.i32(12);
        if (caplen < 0 || caplen > maxCaplen) {
            // a corrupt length: everything after it is out of step, so stop here
            problems.report(
                    "record",
                    records + 1,
                    in.offset(),
                    "length " + Integer.toUnsignedString(caplen)
                            + (snaplen > 0 ? " beyond snaplen " + snaplen : " over the limit " + maxCaplen)
                            + "; the file is corrupt from here");
            return PacketSource.END;
        }
        if (!in.ensure(RECORD_HEADER + caplen)) {
            problems.report(
                    "record",
                    records + 1,
                    in.offset(),
                    "truncated record at end of file: header says " + caplen + " bytes, "
                            + (in.available() - RECORD_HEADER) + " present");
            in.consume(in.available());
            return PacketSource.END;
        }
        in.lend(RECORD_HEADER, frame, caplen);
        in.consume(RECORD_HEADER + caplen);
        records++;
        frame.wireLength = wirelen < 0 ? Integer.MAX_VALUE : wirelen;
        // nanosecond files keep their nanoseconds; the microseconds are truncated (Frame#setTimeNanos)
        if (nanos) frame.setTimeNanos(seconds * 1_000_000_000L + fraction);
        else frame.setTimeMicros(seconds * 1_000_000L + fraction);
        frame.linkType = linkType;
        return PacketSource.PACKET;
    }

    @Override
    public String describe() {
        return "pcap, " + (nanos ? "nanosecond" : "microsecond") + " timestamps, link type "
                + LinkTypes.describe(linkType);
    }
}
