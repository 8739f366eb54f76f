package org.heptap.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * An on-disk FIFO of encoded records for one stream collector: append-only segment files
 * ({@code seg-NNNNNNNNNNNNNNNN.hep}) holding records back to back, exactly as they go on the
 * wire; the wire format's {@link RecordFraming} finds them again (HEP3: length at offset 4). Packets are read back from the oldest
 * segment; a segment is deleted once read, so a drained spool leaves no file behind. The read
 * position is saved in {@code read.pos} at close, so a restarted agent resumes where it stopped
 * and sends nothing twice.
 *
 * <p>Bounded by {@code maxBytes}: an append that would exceed it is refused (the caller counts
 * a drop). Not thread-safe: the collector's sender thread alone uses it. Data is written without
 * fsync: it survives an agent restart or crash, not a power cut.
 */
final class Spool implements AutoCloseable {
    private static final String POS_FILE = "read.pos";

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final Deque<Path> segments = new ArrayDeque<>();
    private final RecordFraming framing;
    private final int headerLength;
    private final ByteBuffer header;
    private long nextSegment;
    private FileChannel writer;
    private long writerSize;
    private FileChannel reader;
    private Path readerPath;
    private long readPos;
    private long bytes;
    private long frames;
    private long corrupt;

    Spool(Path dir, long maxBytes, RecordFraming framing) throws IOException {
        this.dir = dir;
        this.framing = framing;
        this.headerLength = framing.headerLength();
        this.header = ByteBuffer.allocate(headerLength);
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(64 << 10, Math.min(8L << 20, maxBytes / 4));
        Files.createDirectories(dir);
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg-*.hep")) {
            for (Path p : ds) found.add(p);
        }
        Collections.sort(found);
        for (Path p : found) {
            segments.add(p);
            nextSegment = Math.max(nextSegment, number(p) + 1);
        }
        Path pos = dir.resolve(POS_FILE);
        if (Files.exists(pos) && !segments.isEmpty()) {
            String[] s = Files.readString(pos, StandardCharsets.US_ASCII).trim().split(" ");
            if (s.length == 2 && segments.peekFirst().getFileName().toString().equals(s[0])) {
                readPos = Long.parseLong(s[1]);
            }
        }
        Files.deleteIfExists(pos);
        // count what is waiting, so counters and the start-up log say how much a restart inherits
        long skip = readPos;
        for (Path p : segments) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                long at = skip;
                skip = 0;
                long size = ch.size();
                while (at + headerLength <= size) {
                    int len = frameLength(ch, at);
                    if (len < headerLength || at + len > size) break;
                    frames++;
                    bytes += len;
                    at += len;
                }
            }
        }
    }

    boolean isEmpty() {
        return frames == 0;
    }

    long frames() {
        return frames;
    }

    long bytes() {
        return bytes;
    }

    /** Packets skipped because a segment held something that is not a record (a torn write). */
    long corrupt() {
        return corrupt;
    }

    /** Appends one packet; false when the spool is full (nothing written). */
    boolean append(ByteBuf frame) throws IOException {
        int len = frame.readableBytes();
        if (bytes + len > maxBytes) return false;
        if (writer == null || writerSize + len > segmentBytes) roll();
        ByteBuffer b = frame.nioBuffer();
        while (b.hasRemaining()) writer.write(b);
        writerSize += len;
        bytes += len;
        frames++;
        return true;
    }

    private void roll() throws IOException {
        if (writer != null) writer.close();
        Path p = dir.resolve(String.format("seg-%016d.hep", nextSegment++));
        writer = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        writerSize = writer.size();
        segments.addLast(p);
    }

    /** The oldest packet, removed from the spool (the caller owns the buffer), or null when empty. */
    ByteBuf next(ByteBufAllocator alloc) throws IOException {
        while (frames > 0 && !segments.isEmpty()) {
            Path head = segments.peekFirst();
            if (reader == null || !head.equals(readerPath)) {
                if (reader != null) reader.close();
                reader = FileChannel.open(head, StandardOpenOption.READ);
                readerPath = head;
            }
            long size = reader.size();
            if (readPos + headerLength <= size) {
                int len = frameLength(reader, readPos);
                if (len >= headerLength && readPos + len <= size) {
                    ByteBuf buf = alloc.buffer(len);
                    int got = 0;
                    while (got < len) {
                        int n = buf.writeBytes(reader, readPos + got, len - got);
                        if (n < 0) break;
                        got += n;
                    }
                    readPos += len;
                    frames--;
                    bytes -= len;
                    if (readPos >= size && segments.size() > 1) dropHead();
                    else if (readPos >= size && frames == 0) dropHead();
                    return buf;
                }
                if (len < headerLength) corrupt++;
            }
            // the rest of this segment is unreadable (or it is used up): move on
            if (segments.size() == 1 && frames > 0 && readPos + headerLength > size) return null;
            dropHead();
        }
        if (frames <= 0 || segments.isEmpty()) {
            frames = 0;
            bytes = 0;
        }
        return null;
    }

    private void dropHead() throws IOException {
        Path head = segments.pollFirst();
        if (reader != null) {
            reader.close();
            reader = null;
            readerPath = null;
        }
        if (writer != null && segments.isEmpty()) {
            writer.close();
            writer = null;
        }
        readPos = 0;
        if (head != null) Files.deleteIfExists(head);
    }

    private int frameLength(FileChannel ch, long at) throws IOException {
        header.clear();
        while (header.hasRemaining()) {
            if (ch.read(header, at + header.position()) < 0) return -1;
        }
        return framing.recordLength(header);
    }

    private static long number(Path p) {
        String n = p.getFileName().toString();
        try {
            return Long.parseLong(n.substring(4, n.length() - 4));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    @SuppressWarnings("try") // the try only closes both handles, even if closing the first fails
    public void close() throws IOException {
        try (FileChannel w = writer;
                FileChannel r = reader) {
            writer = null;
            reader = null;
        }
        if (!segments.isEmpty() && readPos > 0) {
            Files.writeString(
                    dir.resolve(POS_FILE),
                    segments.peekFirst().getFileName() + " " + readPos,
                    StandardCharsets.US_ASCII);
        }
    }
}
