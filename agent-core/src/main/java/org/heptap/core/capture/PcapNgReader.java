package org.heptap.core.capture;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * pcapng files: sections (each with its own byte order) of blocks. Interface description blocks
 * give each interface its link type and timestamp resolution; enhanced, simple and (obsolete)
 * packet blocks carry frames; every other block is skipped.
 */
final class PcapNgReader implements CaptureFileReader {
    static final int SECTION_HEADER = 0x0a0d0d0a;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int OBSOLETE_PACKET = 2;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;

    private static final int OPT_END = 0;
    private static final int OPT_IF_TSRESOL = 9;
    private static final int OPT_IF_TSOFFSET = 14;

    /** libpcap's limit for a block it has to hold in memory (MAX_BLOCKSIZE). */
    private static final int MAX_BLOCK = 16 << 20;
    /** Interfaces per section; a larger count means a corrupt or hostile file. */
    private static final int MAX_INTERFACES = 4096;

    private static final long[] POW10 = new long[20];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10; // 10^19 wraps: used unsigned
    }

    private final CaptureFileBuffer in;
    private final CaptureFileProblems problems;

    // per interface of the current section; grown only when an IDB arrives
    private int interfaces;
    private int[] linkType = new int[4];
    private int[] snaplen = new int[4];
    /** Timestamp units: 10^-tsExponent seconds, or 2^-tsExponent when tsBinary. */
    private int[] tsExponent = new int[4];

    private boolean[] tsBinary = new boolean[4];
    private long[] tsOffsetSeconds = new long[4];

    /** Blocks read so far, section headers included: problems name the block by its number. */
    private long blocks;

    private long lastTimestampMicros;
    private int firstLinkType = -1;
    private boolean mixedLinkTypes;

    /** Reads the first section header; {@code in} is positioned at it. */
    PcapNgReader(CaptureFileBuffer in, CaptureFileProblems problems, String name) throws IOException {
        this.in = in;
        this.problems = problems;
        String error = readSectionHeader();
        if (error != null) throw new IOException(name + ": " + error);
    }

    @Override
    public int next(Frame frame) throws IOException {
        while (true) {
            if (!in.ensure(12)) {
                if (in.available() > 0) {
                    problems.report(
                            "block",
                            blocks + 1,
                            in.offset(),
                            "truncated block at end of file (" + in.available() + " bytes)");
                    in.consume(in.available());
                }
                return PacketSource.END;
            }
            int type = in.i32(0);
            if (type == SECTION_HEADER) {
                String error = readSectionHeader();
                if (error != null) {
                    problems.report("block", blocks + 1, in.offset(), error);
                    return PacketSource.END;
                }
                continue;
            }
            long length = in.u32(4);
            if (length < 12 || (length & 3) != 0) {
                problems.report(
                        "block",
                        blocks + 1,
                        in.offset(),
                        "block type 0x" + Integer.toHexString(type) + " has invalid length " + length
                                + "; file is corrupt");
                return PacketSource.END;
            }
            if (type != INTERFACE_DESCRIPTION
                    && type != ENHANCED_PACKET
                    && type != SIMPLE_PACKET
                    && type != OBSOLETE_PACKET) {
                // name resolution, statistics, decryption secrets, custom blocks...: not needed
                long at = in.offset();
                if (!in.skip(length)) {
                    problems.report(
                            "block",
                            blocks + 1,
                            at,
                            "truncated block type 0x" + Integer.toHexString(type) + " at end of file");
                    return PacketSource.END;
                }
                blocks++;
                continue;
            }
            if (length > MAX_BLOCK) {
                long at = in.offset();
                problems.report(
                        "block",
                        blocks + 1,
                        at,
                        "block of " + length + " bytes is over the " + MAX_BLOCK + "-byte limit; skipped");
                if (!in.skip(length)) return PacketSource.END;
                blocks++;
                continue;
            }
            int len = (int) length;
            if (!in.ensure(len)) {
                problems.report(
                        "block",
                        blocks + 1,
                        in.offset(),
                        "truncated block at end of file: length " + len + ", " + in.available() + " bytes present");
                in.consume(in.available());
                return PacketSource.END;
            }
            if (in.i32(len - 4) != len) {
                problems.report(
                        "block",
                        blocks + 1,
                        in.offset(),
                        "block length " + len + " does not match its trailer "
                                + Integer.toUnsignedString(in.i32(len - 4)) + "; file is corrupt");
                return PacketSource.END;
            }
            boolean delivered = switch (type) {
                case INTERFACE_DESCRIPTION -> {
                    readInterface(len);
                    yield false;
                }
                case ENHANCED_PACKET -> readEnhancedPacket(len, frame);
                case SIMPLE_PACKET -> readSimplePacket(len, frame);
                default -> readObsoletePacket(len, frame);
            };
            in.consume(len);
            blocks++;
            if (delivered) return PacketSource.PACKET;
        }
    }

    /** Returns an error text, or null when a valid section header was consumed. */
    private String readSectionHeader() throws IOException {
        if (!in.ensure(12)) return "truncated section header block";
        in.order(ByteOrder.BIG_ENDIAN);
        int bom = in.i32(8);
        if (bom == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            in.order(ByteOrder.LITTLE_ENDIAN);
        } else if (bom != BYTE_ORDER_MAGIC) {
            return "section header block has no byte-order magic (0x" + Integer.toHexString(bom) + ")";
        }
        long length = in.u32(4);
        if (length < 28 || (length & 3) != 0 || length > MAX_BLOCK) {
            return "section header block has invalid length " + length;
        }
        int len = (int) length;
        if (!in.ensure(len)) return "truncated section header block";
        if (in.i32(len - 4) != len) return "section header block length does not match its trailer";
        int major = in.u16(12);
        if (major != 1) return "unsupported pcapng version " + major + "." + in.u16(14);
        in.consume(len);
        blocks++;
        interfaces = 0; // interface ids are per section
        return null;
    }

    private void readInterface(int len) {
        if (len < 20) {
            problems.report(
                    "block",
                    blocks + 1,
                    in.offset(),
                    "interface description block too short (" + len + " bytes); ignored");
            return;
        }
        if (interfaces == MAX_INTERFACES) {
            problems.report(
                    "block",
                    blocks + 1,
                    in.offset(),
                    "more than " + MAX_INTERFACES + " interfaces in one section; ignored");
            return;
        }
        if (interfaces == linkType.length) {
            int n = interfaces * 2;
            linkType = Arrays.copyOf(linkType, n);
            snaplen = Arrays.copyOf(snaplen, n);
            tsExponent = Arrays.copyOf(tsExponent, n);
            tsBinary = Arrays.copyOf(tsBinary, n);
            tsOffsetSeconds = Arrays.copyOf(tsOffsetSeconds, n);
        }
        int i = interfaces++;
        linkType[i] = in.u16(8);
        snaplen[i] = in.i32(12);
        tsExponent[i] = 6; // default: microseconds
        tsBinary[i] = false;
        tsOffsetSeconds[i] = 0;
        if (firstLinkType < 0) firstLinkType = linkType[i];
        else if (firstLinkType != linkType[i]) mixedLinkTypes = true;

        int at = 16;
        int end = len - 4;
        while (at + 4 <= end) {
            int code = in.u16(at);
            int optLen = in.u16(at + 2);
            if (code == OPT_END || at + 4 + optLen > end) break;
            if (code == OPT_IF_TSRESOL && optLen >= 1) {
                int v = in.u8(at + 4);
                tsBinary[i] = (v & 0x80) != 0;
                tsExponent[i] = v & 0x7f;
            } else if (code == OPT_IF_TSOFFSET && optLen >= 8) {
                tsOffsetSeconds[i] = in.i64(at + 4);
            }
            at += 4 + ((optLen + 3) & ~3);
        }
    }

    private boolean readEnhancedPacket(int len, Frame frame) {
        if (len < 32) {
            problems.report(
                    "block", blocks + 1, in.offset(), "enhanced packet block too short (" + len + " bytes); skipped");
            return false;
        }
        long iface = in.u32(8);
        return readPacket(frame, iface, (in.u32(12) << 32) | in.u32(16), in.i32(20), in.i32(24), 28, len - 32);
    }

    private boolean readObsoletePacket(int len, Frame frame) {
        if (len < 32) {
            problems.report("block", blocks + 1, in.offset(), "packet block too short (" + len + " bytes); skipped");
            return false;
        }
        int iface = in.u16(8);
        return readPacket(frame, iface, (in.u32(12) << 32) | in.u32(16), in.i32(20), in.i32(24), 28, len - 32);
    }

    private boolean readSimplePacket(int len, Frame frame) {
        if (len < 16) {
            problems.report(
                    "block", blocks + 1, in.offset(), "simple packet block too short (" + len + " bytes); skipped");
            return false;
        }
        if (interfaces == 0) {
            problems.report(
                    "block", blocks + 1, in.offset(), "simple packet block before any interface description; skipped");
            return false;
        }
        int wirelen = in.i32(8);
        // the captured length is implied: the wire length cut to the snaplen and the block
        int caplen = Math.min(len - 16, wirelen < 0 ? Integer.MAX_VALUE : wirelen);
        if (snaplen[0] > 0) caplen = Math.min(caplen, snaplen[0]);
        in.lend(12, frame, caplen);
        frame.wireLength = wirelen < 0 ? Integer.MAX_VALUE : wirelen;
        // simple packet blocks carry no timestamp: keep time moving forward from the last packet
        frame.setTimeMicros(lastTimestampMicros);
        frame.linkType = linkType[0];
        return true;
    }

    private boolean readPacket(Frame frame, long iface, long ts, int caplen, int wirelen, int dataAt, int room) {
        if (iface >= interfaces) {
            problems.report("block", blocks + 1, in.offset(), "packet for undeclared interface " + iface + "; skipped");
            return false;
        }
        if (caplen < 0 || caplen > room) {
            problems.report(
                    "block",
                    blocks + 1,
                    in.offset(),
                    "packet captured length " + Integer.toUnsignedString(caplen) + " exceeds its block; skipped");
            return false;
        }
        int i = (int) iface;
        in.lend(dataAt, frame, caplen);
        frame.wireLength = wirelen < 0 ? Integer.MAX_VALUE : wirelen;
        if (finerThanMicros(tsBinary[i], tsExponent[i])) {
            frame.setTimeNanos(toNanos(ts, tsBinary[i], tsExponent[i]) + tsOffsetSeconds[i] * 1_000_000_000L);
        } else {
            frame.setTimeMicros(toMicros(ts, tsBinary[i], tsExponent[i]) + tsOffsetSeconds[i] * 1_000_000L);
        }
        frame.linkType = linkType[i];
        lastTimestampMicros = frame.timestampMicros;
        return true;
    }

    /** True when an interface's if_tsresol resolves time finer than a microsecond. */
    static boolean finerThanMicros(boolean binary, int exp) {
        return binary ? exp > 19 : exp > 6; // 2^-20 s is the first binary step below 1 µs
    }

    /** An unsigned 64-bit count of 10^-exp (or 2^-exp) seconds in nanoseconds, truncated. */
    static long toNanos(long ts, boolean binary, int exp) {
        return toUnits(ts, binary, exp, 9);
    }

    /** An unsigned 64-bit count of 10^-exp (or 2^-exp) seconds in microseconds, truncated. */
    static long toMicros(long ts, boolean binary, int exp) {
        return toUnits(ts, binary, exp, 6);
    }

    /**
     * Converts an unsigned 64-bit count of 10^-exp (or 2^-exp) seconds to 10^-digits seconds,
     * truncating (like the classic nanosecond format) and never overflowing an intermediate.
     */
    private static long toUnits(long ts, boolean binary, int exp, int digits) {
        if (!binary) {
            if (exp == digits) return ts;
            if (exp < digits) return ts * POW10[digits - exp];
            if (exp - digits >= POW10.length) return 0;
            return Long.divideUnsigned(ts, POW10[exp - digits]);
        }
        long unit = POW10[digits];
        // a fraction below 2^room times the unit stays below 2^63
        int room = Long.numberOfLeadingZeros(unit) - 1;
        long seconds = exp >= 64 ? 0 : ts >>> exp;
        long fraction = exp >= 64 ? ts : ts & ((1L << exp) - 1);
        long fractionUnits;
        if (exp <= room) {
            fractionUnits = (fraction * unit) >>> exp;
        } else {
            // drop the low bits first (they are worth far less than a unit)
            int drop = exp - room;
            fractionUnits = drop >= 64 ? 0 : ((fraction >>> drop) * unit) >>> room;
        }
        return seconds * unit + fractionUnits;
    }

    @Override
    public String describe() {
        if (firstLinkType < 0) return "pcapng";
        return "pcapng, link type " + (mixedLinkTypes ? "mixed" : LinkTypes.describe(firstLinkType));
    }
}
