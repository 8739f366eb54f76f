package org.heptap.core.capture;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a classic pcap (micro- or nanosecond, either byte order) or pcapng capture file in pure
 * Java, one frame per {@link #next} into the caller's reused {@link Frame}.
 *
 * <p>The format is sniffed from the first four bytes. A file that is neither, or whose header
 * is cut short, fails in {@link #open}; damage after the header (a truncated last record, a
 * corrupt length) ends the file early with {@link #END}, counted in {@link #problemCount()} and
 * logged, never with an exception. Only I/O errors of the file itself throw from {@link #next}.
 *
 * <p>Frames are released as fast as they can be read unless a {@link ReplayPacer} says otherwise.
 */
public final class PcapFileSource implements PacketSource {
    private final String name;
    private final ReadableByteChannel channel;
    private final CaptureFileReader reader;
    private final CaptureFileProblems problems;
    private final ReplayPacer pacer;
    private long received;
    private boolean ended;
    private volatile boolean closed;

    private PcapFileSource(
            String name,
            ReadableByteChannel channel,
            CaptureFileReader reader,
            CaptureFileProblems problems,
            ReplayPacer pacer) {
        this.name = name;
        this.channel = channel;
        this.reader = reader;
        this.problems = problems;
        this.pacer = pacer;
    }

    /** Opens a capture file for reading as fast as possible. */
    public static PcapFileSource open(Path file) throws IOException {
        return open(file, ReplayPacer.max());
    }

    /** Opens a capture file whose frames are released on the pacer's schedule. */
    public static PcapFileSource open(Path file, ReplayPacer pacer) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return open(ch, file.toString(), pacer);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Reads a capture from any blocking channel (a pipe, standard input, bytes in a test). The
     * source owns the channel and closes it.
     */
    public static PcapFileSource open(ReadableByteChannel channel, String name, ReplayPacer pacer) throws IOException {
        return open(channel, name, pacer, CaptureFileBuffer.DEFAULT_CAPACITY);
    }

    /** With a chosen read window (tests use tiny ones to exercise refills and growth). */
    static PcapFileSource open(ReadableByteChannel channel, String name, ReplayPacer pacer, int window)
            throws IOException {
        CaptureFileBuffer in = new CaptureFileBuffer(channel, window);
        CaptureFileProblems problems = new CaptureFileProblems(name);
        if (!in.ensure(4)) {
            throw new IOException(name + ": " + (in.available() == 0 ? "empty file" : "file too short")
                    + ", not a pcap or pcapng capture");
        }
        in.order(ByteOrder.BIG_ENDIAN);
        int magic = in.i32(0);
        CaptureFileReader reader;
        if (magic == PcapNgReader.SECTION_HEADER) {
            reader = new PcapNgReader(in, problems, name);
        } else if (isClassicMagic(magic) || isClassicMagic(Integer.reverseBytes(magic))) {
            reader = new ClassicPcapReader(in, problems, name);
        } else if ((magic >>> 16) == 0x1f8b) {
            throw new IOException(name + ": gzip-compressed; decompress it first (gunzip)");
        } else {
            throw new IOException(
                    name + ": not a pcap or pcapng capture (starts with 0x" + String.format("%08x", magic) + ")");
        }
        return new PcapFileSource(name, channel, reader, problems, pacer);
    }

    private static boolean isClassicMagic(int magic) {
        return magic == ClassicPcapReader.MAGIC_MICROS || magic == ClassicPcapReader.MAGIC_NANOS;
    }

    @Override
    public int next(Frame frame) throws IOException {
        if (closed || ended) return END;
        int r;
        try {
            r = reader.next(frame);
        } catch (ClosedChannelException e) {
            return END; // closed by another thread while reading (AsynchronousCloseException)
        }
        if (r != PACKET) {
            ended = true; // damage ends the file: asking again must not read (and report) it again
            return END;
        }
        received++;
        // a pacer that was cancelled (close) or interrupted means: stop the replay
        return pacer.pace(frame.timestampMicros) ? PACKET : END;
    }

    /** Problems found in the file so far (each ends the file or skips one block). */
    public long problemCount() {
        return problems.count();
    }

    /** The most recent problem, {@code file: offset N: what}, or null when there was none. */
    public String lastProblem() {
        return problems.last();
    }

    @Override
    public CaptureStats stats() {
        return new CaptureStats(received, 0, 0);
    }

    @Override
    public String describe() {
        String speed = pacer.describe();
        return "file " + name + " (" + reader.describe() + (speed.equals("max") ? "" : ", speed " + speed) + ")";
    }

    @Override
    public void close() {
        closed = true;
        pacer.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written; a failing close of a read-only file loses nothing
        }
    }
}
