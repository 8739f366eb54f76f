package org.heptap.core.capture;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class PcapFileSourceTest {
    private static final byte[] A = frame(60, 1);
    private static final byte[] B = frame(1514, 2);

    enum Order {
        LE(LITTLE_ENDIAN),
        BE(BIG_ENDIAN);
        final ByteOrder order;

        Order(ByteOrder o) {
            order = o;
        }
    }

    static byte[] frame(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    static PcapFileSource open(byte[] file) throws IOException {
        return PcapFileSource.open(Channels.newChannel(new ByteArrayInputStream(file)), "test.pcap", ReplayPacer.max());
    }

    /** Reads every frame: copies of data, and timestamps/link types. */
    record Read(
            List<byte[]> data,
            List<Long> ts,
            List<Integer> linkTypes,
            List<Integer> wire,
            List<Long> nanos,
            List<Boolean> nanosecondTime,
            PcapFileSource src) {}

    static Read readAll(byte[] file) throws IOException {
        PcapFileSource src = open(file);
        Read r = new Read(
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                new ArrayList<>(),
                src);
        Frame f = new Frame();
        while (src.next(f) == PacketSource.PACKET) {
            r.data.add(Arrays.copyOfRange(f.data, f.offset, f.offset + f.length));
            r.ts.add(f.timestampMicros);
            r.linkTypes.add(f.linkType);
            r.wire.add(f.wireLength);
            r.nanos.add(f.timestampNanos);
            r.nanosecondTime.add(f.nanosecondTime);
        }
        assertEquals(PacketSource.END, src.next(f), "END stays END");
        return r;
    }

    // ------------------------------------------------------------------ classic pcap

    @ParameterizedTest
    @EnumSource(Order.class)
    void classic_microseconds_either_byte_order(Order o) throws IOException {
        byte[] file = CaptureFileBytes.classic(o.order, false, 65535, 1)
                .record(1_700_000_000L, 123_456, A)
                .record(1_700_000_001L, 999_999, B)
                .toByteArray();
        Read r = readAll(file);
        assertEquals(2, r.data.size());
        assertArrayEquals(A, r.data.get(0));
        assertArrayEquals(B, r.data.get(1));
        assertEquals(List.of(1_700_000_000_123_456L, 1_700_000_001_999_999L), r.ts);
        assertEquals(List.of(1, 1), r.linkTypes);
        assertEquals(List.of(1_700_000_000_123_456_000L, 1_700_000_001_999_999_000L), r.nanos);
        assertEquals(List.of(false, false), r.nanosecondTime);
        assertEquals(2, r.src.stats().received());
        assertEquals(0, r.src.problemCount());
        assertTrue(r.src.describe().contains("pcap, microsecond timestamps, link type 1 (Ethernet)"), r.src.describe());
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void classic_nanoseconds_are_truncated_not_rounded(Order o) throws IOException {
        byte[] file = CaptureFileBytes.classic(o.order, true, 65535, 1)
                .record(1_795_546_673L, 931_671_576, A)
                .record(1_795_546_673L, 999_999_999, A)
                .record(1_795_546_673L, 999, A)
                .toByteArray();
        Read r = readAll(file);
        assertEquals(List.of(1_795_546_673_931_671L, 1_795_546_673_999_999L, 1_795_546_673_000_000L), r.ts);
        assertTrue(r.src.describe().contains("nanosecond"), r.src.describe());
        assertEquals(
                List.of(1_795_546_673_931_671_576L, 1_795_546_673_999_999_999L, 1_795_546_673_000_000_999L), r.nanos);
        assertEquals(List.of(true, true, true), r.nanosecondTime);
    }

    @Test
    void classic_link_type_field_ignores_fcs_bits() throws IOException {
        byte[] file = CaptureFileBytes.classic(LITTLE_ENDIAN, false, 65535, 0x14000000 | 113)
                .record(1, 0, A)
                .toByteArray();
        assertEquals(List.of(113), readAll(file).linkTypes);
    }

    @Test
    void classic_snaplen_cut_keeps_wire_length() throws IOException {
        byte[] file = CaptureFileBytes.classic(LITTLE_ENDIAN, false, 60, 1)
                .record(1, 0, 60, 1514, A)
                .toByteArray();
        Read r = readAll(file);
        assertEquals(60, r.data.get(0).length);
        assertEquals(List.of(1514), r.wire);
    }

    @Test
    void classic_header_only_file_is_empty_not_a_problem() throws IOException {
        Read r =
                readAll(CaptureFileBytes.classic(LITTLE_ENDIAN, false, 65535, 1).toByteArray());
        assertEquals(0, r.data.size());
        assertEquals(0, r.src.problemCount());
        assertNull(r.src.lastProblem());
    }

    @Test
    void classic_truncated_last_record_ends_the_file_with_a_problem() throws IOException {
        byte[] whole = CaptureFileBytes.classic(LITTLE_ENDIAN, false, 65535, 1)
                .record(1, 0, A)
                .record(2, 0, B)
                .toByteArray();
        Read r = readAll(Arrays.copyOf(whole, whole.length - 100));
        assertEquals(1, r.data.size());
        assertEquals(1, r.src.problemCount());
        assertTrue(r.src.lastProblem().contains("truncated record"), r.src.lastProblem());
        assertTrue(r.src.lastProblem().startsWith("test.pcap: record 2 at byte 100: "), r.src.lastProblem());
    }

    @Test
    void classic_truncated_record_header_ends_the_file_with_a_problem() throws IOException {
        byte[] whole = CaptureFileBytes.classic(BIG_ENDIAN, false, 65535, 1)
                .record(1, 0, A)
                .record(2, 0, B)
                .toByteArray();
        Read r = readAll(Arrays.copyOf(whole, 24 + 16 + A.length + 7));
        assertEquals(1, r.data.size());
        assertEquals(1, r.src.problemCount());
        assertTrue(r.src.lastProblem().contains("truncated record header"), r.src.lastProblem());
    }

    @Test
    void classic_corrupt_captured_length_ends_the_file() throws IOException {
        byte[] file = CaptureFileBytes.classic(LITTLE_ENDIAN, false, 65535, 1)
                .record(1, 0, A)
                .record(2, 0, 0x7fff0000, 60, A)
                .record(3, 0, A)
                .toByteArray();
        Read r = readAll(file);
        assertEquals(1, r.data.size());
        assertTrue(r.src.lastProblem().contains("beyond snaplen 65535"), r.src.lastProblem());
        byte[] negative = CaptureFileBytes.classic(LITTLE_ENDIAN, false, 65535, 1)
                .record(2, 0, -5, 60, A)
                .toByteArray();
        assertEquals(0, readAll(negative).data.size());
    }

    @Test
    void classic_record_longer_than_the_snaplen_ends_the_file_naming_record_and_byte() throws IOException {
        byte[] file = CaptureFileBytes.classic(LITTLE_ENDIAN, false, 65535, 1)
                .record(1, 0, A)
                .record(2, 0, 70000, 70000, frame(70000, 3))
                .record(3, 0, A)
                .toByteArray();
        Read r = readAll(file);
        assertEquals(1, r.data.size());
        assertEquals(1, r.src.problemCount());
        assertEquals(
                "test.pcap: record 2 at byte " + (24 + 16 + A.length) + ": length 70000 beyond snaplen 65535;"
                        + " the file is corrupt from here",
                r.src.lastProblem());
    }

    @Test
    void pcapng_problems_name_the_block_and_its_byte() throws IOException {
        byte[] whole = CaptureFileBytes.pcapng(LITTLE_ENDIAN)
                .interfaceBlock(1, 65535)
                .enhancedPacket(0, 1, A)
                .enhancedPacket(0, 2, B)
                .toByteArray();
        Read r = readAll(Arrays.copyOf(whole, whole.length - 1));
        int secondPacketAt = whole.length - (32 + ((B.length + 3) & ~3));
        assertTrue(
                r.src.lastProblem().startsWith("test.pcap: block 4 at byte " + secondPacketAt + ": truncated block"),
                r.src.lastProblem());
    }

    @Test
    void frames_larger_than_the_frame_buffer_and_the_read_window_grow_them() throws IOException {
        byte[] huge = frame(3 << 20, 7); // over the 64 KiB window and the 64 KiB default frame
        byte[] file = CaptureFileBytes.classic(LITTLE_ENDIAN, false, 4 << 20, 1)
                .record(1, 0, huge)
                .record(2, 0, A)
                .toByteArray();
        Read r = readAll(file);
        assertArrayEquals(huge, r.data.get(0));
        assertArrayEquals(A, r.data.get(1));
    }

    @Test
    void many_records_across_window_refills_come_out_intact() throws IOException {
        CaptureFileBytes b = CaptureFileBytes.classic(LITTLE_ENDIAN, false, 65535, 1);
        for (int i = 0; i < 3000; i++) b.record(i, i, frame(60 + i % 1400, i));
        Read r = readAll(b.toByteArray());
        assertEquals(3000, r.data.size());
        for (int i = 0; i < 3000; i++) {
            assertArrayEquals(frame(60 + i % 1400, i), r.data.get(i), "record " + i);
            assertEquals(i * 1_000_000L + i, r.ts.get(i));
        }
    }

    @Test
    void frames_are_read_in_place_from_the_read_window_without_a_copy_or_an_allocation() throws IOException {
        CaptureFileBytes b = CaptureFileBytes.classic(LITTLE_ENDIAN, false, 65535, 1);
        for (int i = 0; i < 3000; i++) b.record(i, i, frame(60 + i % 200, i));
        byte[] file = b.toByteArray();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Frame f = new Frame();
        for (int round = 0; round < 3; round++) { // the first rounds load classes and warm up
            try (PcapFileSource src = open(file)) {
                assertEquals(PacketSource.PACKET, src.next(f));
                byte[] window = f.data;
                int end = f.offset + f.length;
                int inPlace = 0;
                long before = threads.getCurrentThreadAllocatedBytes();
                while (src.next(f) == PacketSource.PACKET) {
                    // the next record's frame follows this one's, after its 16-byte record header
                    if (f.data == window && f.offset == end + 16) inPlace++;
                    window = f.data;
                    end = f.offset + f.length;
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                // only a window refill moves a frame to the window's start
                assertTrue(inPlace > 2900, inPlace + " of 2999 frames read in place");
                if (round == 2) assertTrue(allocated < 1024, allocated + " bytes allocated reading 3000 frames");
            }
        }
    }

    // ------------------------------------------------------------------ not a capture

    @Test
    void empty_file_fails_to_open() {
        IOException e = assertThrows(IOException.class, () -> open(new byte[0]));
        assertTrue(e.getMessage().contains("empty file"), e.getMessage());
    }

    @Test
    void unknown_magic_fails_to_open_naming_the_bytes() {
        IOException e = assertThrows(IOException.class, () -> open("hello world, not a pcap".getBytes()));
        assertEquals("test.pcap: not a pcap or pcapng capture (starts with 0x68656c6c)", e.getMessage());
    }

    @Test
    void gzip_file_fails_to_open_with_a_hint() {
        IOException e = assertThrows(IOException.class, () -> open(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0}));
        assertTrue(e.getMessage().contains("gunzip"), e.getMessage());
    }

    @Test
    void truncated_classic_file_header_fails_to_open() {
        byte[] file = Arrays.copyOf(
                CaptureFileBytes.classic(LITTLE_ENDIAN, false, 65535, 1).toByteArray(), 20);
        IOException e = assertThrows(IOException.class, () -> open(file));
        assertTrue(e.getMessage().contains("truncated pcap file header"), e.getMessage());
    }

    // ------------------------------------------------------------------ pcapng

    @ParameterizedTest
    @EnumSource(Order.class)
    void pcapng_default_resolution_is_microseconds(Order o) throws IOException {
        byte[] file = CaptureFileBytes.pcapng(o.order)
                .interfaceBlock(1, 65535)
                .enhancedPacket(0, 1_700_000_000_123_456L, A)
                .enhancedPacket(0, 1_700_000_000_223_456L, B)
                .toByteArray();
        Read r = readAll(file);
        assertArrayEquals(A, r.data.get(0));
        assertArrayEquals(B, r.data.get(1));
        assertEquals(List.of(1_700_000_000_123_456L, 1_700_000_000_223_456L), r.ts);
        assertEquals(List.of(1, 1), r.linkTypes);
        assertEquals(0, r.src.problemCount());
        assertTrue(r.src.describe().contains("pcapng"), r.src.describe());
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void pcapng_if_tsresol_nanoseconds_truncates(Order o) throws IOException {
        CaptureFileBytes b = CaptureFileBytes.pcapng(o.order);
        byte[] file = b.interfaceBlock(1, 65535, b.option(9, new byte[] {9}))
                .enhancedPacket(0, 1_795_546_673_931_671_576L, A)
                .toByteArray();
        Read r = readAll(file);
        assertEquals(List.of(1_795_546_673_931_671L), r.ts);
        assertEquals(List.of(1_795_546_673_931_671_576L), r.nanos);
        assertEquals(List.of(true), r.nanosecondTime);
    }

    @Test
    void pcapng_if_tsresol_power_of_two_and_milliseconds_and_offset() throws IOException {
        CaptureFileBytes b = CaptureFileBytes.pcapng(LITTLE_ENDIAN);
        byte[] file = b.interfaceBlock(1, 65535, b.option(9, new byte[] {(byte) 0x8a})) // 2^-10 s
                .interfaceBlock(1, 65535, b.option(9, new byte[] {3})) // ms
                .interfaceBlock(1, 65535, b.option(2, "eth0".getBytes()), b.option64(14, 1_000_000_000L)) // +1e9 s
                .enhancedPacket(0, (1_700_000_000L << 10) | 512, A)
                .enhancedPacket(1, 1_700_000_000_250L, A)
                .enhancedPacket(2, 700_000_000_000_001L, A)
                .toByteArray();
        assertEquals(List.of(1_700_000_000_500_000L, 1_700_000_000_250_000L, 1_700_000_000_000_001L), readAll(file).ts);
    }

    @Test
    void pcapng_interfaces_with_different_link_types() throws IOException {
        byte[] file = CaptureFileBytes.pcapng(LITTLE_ENDIAN)
                .interfaceBlock(1, 65535)
                .interfaceBlock(113, 65535)
                .interfaceBlock(101, 65535)
                .enhancedPacket(1, 1, A)
                .enhancedPacket(0, 2, A)
                .enhancedPacket(2, 3, A)
                .toByteArray();
        Read r = readAll(file);
        assertEquals(List.of(113, 1, 101), r.linkTypes);
        assertTrue(r.src.describe().contains("mixed"), r.src.describe());
    }

    @Test
    void pcapng_simple_and_obsolete_packet_blocks() throws IOException {
        byte[] file = CaptureFileBytes.pcapng(BIG_ENDIAN)
                .interfaceBlock(1, 100)
                .obsoletePacket(0, 5_000_000L, A)
                .simplePacket(B.length, Arrays.copyOf(B, 100)) // snaplen 100 cut it
                .toByteArray();
        Read r = readAll(file);
        assertArrayEquals(A, r.data.get(0));
        assertArrayEquals(Arrays.copyOf(B, 100), r.data.get(1));
        assertEquals(List.of(60, B.length), r.wire);
        assertEquals(List.of(5_000_000L, 5_000_000L), r.ts, "SPB has no time: it keeps the last one");
    }

    @Test
    void pcapng_other_blocks_are_skipped() throws IOException {
        byte[] file = CaptureFileBytes.pcapng(LITTLE_ENDIAN)
                .otherBlock(4, new byte[] {1, 0, 4, 0, 10, 0, 0, 1, 'h', 0, 0, 0, 0, 0}) // name resolution
                .interfaceBlock(1, 65535)
                .otherBlock(5, new byte[20]) // statistics
                .enhancedPacket(0, 1, A)
                .otherBlock(0x00000bad, new byte[3000]) // custom
                .otherBlock(0x0000000a, new byte[] {1, 2, 3}) // decryption secrets
                .enhancedPacket(0, 2, B)
                .toByteArray();
        Read r = readAll(file);
        assertEquals(2, r.data.size());
        assertEquals(0, r.src.problemCount());
    }

    @Test
    void pcapng_new_section_switches_byte_order_and_resets_interfaces() throws IOException {
        byte[] file = CaptureFileBytes.pcapng(LITTLE_ENDIAN)
                .interfaceBlock(1, 65535)
                .enhancedPacket(0, 1, A)
                .sectionHeader(BIG_ENDIAN)
                .enhancedPacket(0, 2, A) // interface 0 is not declared in this section
                .interfaceBlock(113, 65535)
                .enhancedPacket(0, 3, B)
                .toByteArray();
        Read r = readAll(file);
        assertEquals(List.of(1L, 3L), r.ts);
        assertEquals(List.of(1, 113), r.linkTypes);
        assertEquals(1, r.src.problemCount());
        assertTrue(r.src.lastProblem().contains("undeclared interface 0"), r.src.lastProblem());
    }

    @Test
    void pcapng_packet_longer_than_its_block_is_skipped() throws IOException {
        byte[] file = CaptureFileBytes.pcapng(LITTLE_ENDIAN)
                .interfaceBlock(1, 65535)
                .enhancedPacket(0, 1, 5000, 5000, A)
                .enhancedPacket(0, 2, B)
                .toByteArray();
        Read r = readAll(file);
        assertEquals(List.of(2L), r.ts);
        assertTrue(r.src.lastProblem().contains("exceeds its block"), r.src.lastProblem());
    }

    @Test
    void pcapng_truncated_last_block_ends_the_file() throws IOException {
        byte[] whole = CaptureFileBytes.pcapng(LITTLE_ENDIAN)
                .interfaceBlock(1, 65535)
                .enhancedPacket(0, 1, A)
                .enhancedPacket(0, 2, B)
                .toByteArray();
        Read r = readAll(Arrays.copyOf(whole, whole.length - 1));
        assertEquals(1, r.data.size());
        assertEquals(1, r.src.problemCount());
        assertTrue(r.src.lastProblem().contains("truncated block"), r.src.lastProblem());
    }

    @Test
    void pcapng_trailer_mismatch_and_bad_lengths_end_the_file() throws IOException {
        byte[] good = CaptureFileBytes.pcapng(LITTLE_ENDIAN)
                .interfaceBlock(1, 65535)
                .enhancedPacket(0, 1, A)
                .toByteArray();
        byte[] file = Arrays.copyOf(good, good.length + 0);
        file[file.length - 4] ^= 0x10; // trailer of the EPB
        Read r = readAll(file);
        assertEquals(0, r.data.size());
        assertTrue(r.src.lastProblem().contains("does not match its trailer"), r.src.lastProblem());

        byte[] badLength = CaptureFileBytes.pcapng(LITTLE_ENDIAN)
                .interfaceBlock(1, 65535)
                .i32(6)
                .i32(10)
                .i32(0)
                .toByteArray();
        r = readAll(badLength);
        assertEquals(0, r.data.size());
        assertTrue(r.src.lastProblem().contains("invalid length 10"), r.src.lastProblem());
    }

    @Test
    void pcapng_huge_skipped_block_running_past_the_end_ends_cleanly() throws IOException {
        byte[] file = CaptureFileBytes.pcapng(LITTLE_ENDIAN)
                .interfaceBlock(1, 65535)
                .enhancedPacket(0, 1, A)
                .i32(0x0bad)
                .i32(0x7ffffff0)
                .i32(0)
                .toByteArray();
        Read r = readAll(file);
        assertEquals(1, r.data.size());
        assertEquals(1, r.src.problemCount());
    }

    @Test
    void pcapng_bad_section_header_fails_to_open() {
        byte[] file = CaptureFileBytes.pcapng(LITTLE_ENDIAN).toByteArray();
        file[8] = 0x11; // byte-order magic
        IOException e = assertThrows(IOException.class, () -> open(file));
        assertTrue(e.getMessage().contains("byte-order magic"), e.getMessage());
    }

    @Test
    void pcapng_timestamp_conversion_edges() {
        assertEquals(1_234_567L, PcapNgReader.toMicros(1_234_567L, false, 6));
        assertEquals(1_234_567_000L, PcapNgReader.toMicros(1_234_567L, false, 3));
        assertEquals(1_000_000L, PcapNgReader.toMicros(1L, false, 0));
        assertEquals(1_844_674_407_370_955L, PcapNgReader.toMicros(-1L, false, 10), "unsigned 2^64-1 at 10^-10");
        assertEquals(1L, PcapNgReader.toMicros(-1L, false, 25), "10^19 is a valid unsigned divisor");
        assertEquals(0L, PcapNgReader.toMicros(-1L, false, 127));
        assertEquals(3_000_000L, PcapNgReader.toMicros(3L, true, 0));
        assertEquals(1_500_000L, PcapNgReader.toMicros(3L << 29, true, 30));
        assertEquals(500_000L, PcapNgReader.toMicros(1L << 62, true, 63));
        assertEquals(250_000L, PcapNgReader.toMicros(1L << 62, true, 64));
        assertEquals(0L, PcapNgReader.toMicros(-1L, true, 127));
    }

    // ------------------------------------------------------------------ files, close

    @Test
    void reads_from_a_path_and_close_ends_reading(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("two.pcap");
        Files.write(
                p,
                CaptureFileBytes.classic(LITTLE_ENDIAN, false, 65535, 1)
                        .record(1, 0, A)
                        .record(2, 0, B)
                        .toByteArray());
        PcapFileSource src = PcapFileSource.open(p);
        try {
            Frame f = new Frame();
            assertEquals(PacketSource.PACKET, src.next(f));
            src.close();
            assertEquals(PacketSource.END, src.next(f));
            assertTrue(src.describe().startsWith("file " + p), src.describe());
        } finally {
            src.close();
        }
    }

    // ------------------------------------------------------------------ corpus

    static Stream<String> corpusFiles() {
        return TestCorpus.captures().stream().map(c -> (String) c.get("file"));
    }

    @ParameterizedTest
    @MethodSource("corpusFiles")
    void every_corpus_capture_reads_completely(String file) throws IOException {
        Map<String, Object> m = TestCorpus.manifest(file);
        long frames = 0;
        long first = -1;
        try (PcapFileSource src = PcapFileSource.open(TestCorpus.file(file))) {
            Frame f = new Frame();
            while (src.next(f) == PacketSource.PACKET) {
                if (first < 0) first = f.timestampMicros;
                frames++;
            }
            assertEquals(0, src.problemCount(), src.lastProblem());
            assertEquals(frames, src.stats().received());
        }
        assertEquals(TestCorpus.asLong(m.get("frames")), frames, file);
        // first_packet_time is UTC with micro- (or nano-) second digits: compare truncated to µs
        String t = (String) m.get("first_packet_time");
        String micros = t.length() > 26 ? t.substring(0, 26) : t;
        LocalDateTime expected = LocalDateTime.parse(micros, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
        long expectedMicros = expected.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + expected.getNano() / 1000;
        assertEquals(expectedMicros, first, file);
    }
}
