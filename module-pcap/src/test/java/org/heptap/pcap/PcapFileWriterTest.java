package org.heptap.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.PacketSource;
import org.heptap.core.capture.PcapFileSource;
import org.heptap.core.capture.TestCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PcapFileWriterTest {
    @TempDir
    Path dir;

    /** Every frame of a file: bytes, link type, nanoseconds, wire length. */
    record Frames(List<byte[]> data, List<Integer> linkTypes, List<Long> nanos, List<Integer> wire) {}

    static Frames read(Path file) throws IOException {
        Frames r = new Frames(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (PcapFileSource src = PcapFileSource.open(file)) {
            Frame f = new Frame();
            while (src.next(f) == PacketSource.PACKET) {
                r.data.add(Arrays.copyOfRange(f.data, f.offset, f.offset + f.length));
                r.linkTypes.add(f.linkType);
                r.nanos.add(f.timestampNanos);
                r.wire.add(f.wireLength);
            }
        }
        return r;
    }

    /** Copies {@code corpusFile} frame by frame through a writer; returns the copy. */
    private Path copy(String corpusFile, boolean nanos) throws IOException {
        Path out = dir.resolve(corpusFile + (nanos ? ".ns" : ".us") + ".pcap");
        try (PcapFileSource src = PcapFileSource.open(TestCorpus.file(corpusFile));
                OutputStream os = new BufferedOutputStream(Files.newOutputStream(out))) {
            Frame f = new Frame();
            PcapFileWriter w = null;
            while (src.next(f) == PacketSource.PACKET) {
                if (w == null) w = new PcapFileWriter(os, f.linkType, nanos);
                w.write(f.timestampNanos, f.data, f.offset, f.length, f.wireLength);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip-udp-nsec.pcap", "sip-sll2.pcap", "sip-udp-v6.pcap", "sip-tcp.pcap"})
    void a_copy_holds_the_same_frames_link_type_and_nanoseconds(String file) throws Exception {
        Path copy = copy(file, true);
        Frames original = read(TestCorpus.file(file));
        Frames written = read(copy);
        assertEquals(original.data.size(), written.data.size());
        for (int i = 0; i < original.data.size(); i++) {
            assertArrayEquals(original.data.get(i), written.data.get(i), "frame " + (i + 1));
        }
        assertEquals(original.linkTypes, written.linkTypes);
        assertEquals(original.nanos, written.nanos);
        assertEquals(original.wire, written.wire);
        // and tshark, which knows nothing of our reader, sees the same frames at the same times
        String[] fields = {"-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.protocols"};
        List<String> want = Tshark.fields(TestCorpus.file(file), fields);
        assertEquals(want, Tshark.fields(copy, fields));
        assertEquals(original.data.size(), want.size());
    }

    @Test
    void a_microsecond_file_truncates_the_nanoseconds() throws Exception {
        Path copy = copy("sip-udp-nsec.pcap", false);
        Frames original = read(TestCorpus.file("sip-udp-nsec.pcap"));
        Frames written = read(copy);
        for (int i = 0; i < original.nanos.size(); i++) {
            assertEquals(original.nanos.get(i) / 1000 * 1000, written.nanos.get(i));
        }
        assertTrue(original.nanos.stream().anyMatch(n -> n % 1000 != 0), "the corpus file has real nanoseconds");
        assertEquals(
                original.data.size(), Tshark.fields(copy, "-e", "frame.number").size());
    }

    @Test
    void header_and_record_layout() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapFileWriter w = new PcapFileWriter(out, 276, true);
        byte[] frame = {1, 2, 3, 4, 5};
        w.write(1_700_000_000_123_456_789L, frame, 1, 3, 1500);
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(24 + 16 + 3, b.remaining());
        assertEquals(PcapFileWriter.MAGIC_NANOS, b.getInt(0));
        assertEquals(2, b.getShort(4));
        assertEquals(4, b.getShort(6));
        assertEquals(PcapFileWriter.SNAPLEN, b.getInt(16));
        assertEquals(276, b.getInt(20));
        assertEquals(1_700_000_000, b.getInt(24));
        assertEquals(123_456_789, b.getInt(28));
        assertEquals(3, b.getInt(32));
        assertEquals(1500, b.getInt(36));
        assertEquals(2, b.get(40));
        assertEquals(4, b.get(42));
        assertEquals(w.bytes(), b.remaining());
        assertEquals(1, w.records());
    }

    @Test
    void a_frame_beyond_the_snaplen_is_cut_and_keeps_its_wire_length() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapFileWriter w = new PcapFileWriter(out, 1, false);
        byte[] huge = new byte[PcapFileWriter.SNAPLEN + 10];
        w.write(0, huge, 0, huge.length, huge.length);
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(PcapFileWriter.SNAPLEN, b.getInt(32));
        assertEquals(huge.length, b.getInt(36));
        assertEquals(24 + 16 + PcapFileWriter.SNAPLEN, b.remaining());
    }
}
