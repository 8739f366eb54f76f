package org.heptap.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.PacketSource;
import org.heptap.core.capture.PcapFileSource;
import org.heptap.core.capture.TestCorpus;
import org.heptap.core.decode.PacketDecoder;
import org.heptap.core.ledger.LossLedger;
import org.heptap.core.message.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapTransportTest {
    private static final long T0 = 1_764_763_200_000L; // 2025-12-03 12:00:00 UTC

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(T0);
    private final List<PcapTransport> started = new ArrayList<>();
    private long offered;

    @AfterEach
    void stop() {
        for (PcapTransport t : started) t.close();
    }

    private PcapTransport transport(Duration interval, long size, boolean gzip, long maxTotal, int queue) {
        PcapSettings s = new PcapSettings(
                dir, FileNames.base("node1", "files"), interval, size, gzip, maxTotal, Duration.ZERO, queue);
        PcapTransport t = new PcapTransport("files", s, false, now::get);
        started.add(t);
        return t;
    }

    private static Message sip(int i) throws IOException {
        Message m = new Message();
        m.reset();
        byte[] a = InetAddress.getByName("192.0.2.1").getAddress();
        byte[] b = InetAddress.getByName("192.0.2.2").getAddress();
        m.setAddresses(4, a, 0, b, 0);
        m.setIpProtocol(Message.IP_PROTO_UDP);
        m.setPorts(5060, 5060);
        m.setTimestampMicros(1_700_000_000_000_000L + i);
        byte[] p = ("OPTIONS sip:b SIP/2.0\r\nCall-ID: call-" + i + "\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        m.setPayload(p, 0, p.length);
        return m;
    }

    private void send(PcapTransport t, Message m) {
        offered++;
        t.send(m);
    }

    private void sendAndWrite(PcapTransport t, int from, int to) throws IOException {
        for (int i = from; i < to; i++) send(t, sip(i));
        assertTrue(t.drain(Duration.ofSeconds(10)), "written and flushed");
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private void assertBalanced(PcapTransport t) {
        LossLedger.Stage stage = LossLedger.transportStage("files", offered, t.counters());
        assertTrue(stage.balanced(), stage.toString());
    }

    @Test
    void rotates_by_time_and_every_file_opens_in_tshark_with_its_call_ids() throws Exception {
        PcapTransport t = transport(Duration.ofSeconds(30), 0, false, 0, 64);
        t.start();
        sendAndWrite(t, 0, 3);
        now.addAndGet(30_000);
        sendAndWrite(t, 3, 6);
        now.addAndGet(30_000);
        sendAndWrite(t, 6, 8);
        t.close();
        List<Path> files = files();
        assertEquals(
                List.of(
                        "node1-files-20251203-120000.pcap",
                        "node1-files-20251203-120030.pcap",
                        "node1-files-20251203-120100.pcap"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(List.of("call-0", "call-1", "call-2"), Tshark.fields(files.get(0), "-e", "sip.Call-ID"));
        assertEquals(List.of("call-3", "call-4", "call-5"), Tshark.fields(files.get(1), "-e", "sip.Call-ID"));
        assertEquals(List.of("call-6", "call-7"), Tshark.fields(files.get(2), "-e", "sip.Call-ID"));
        for (Path f : files) {
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
        Map<String, Long> c = t.counters();
        assertEquals(8, c.get("sent"));
        assertEquals(3, c.get("files"));
        assertEquals(0, c.get("queued"));
        assertBalanced(t);
    }

    @Test
    void gzip_files_open_in_tshark() throws Exception {
        PcapTransport t = transport(Duration.ofSeconds(10), 0, true, 0, 64);
        t.start();
        sendAndWrite(t, 0, 2);
        now.addAndGet(10_000);
        sendAndWrite(t, 2, 4);
        t.close();
        List<Path> files = files();
        assertEquals(2, files.size());
        for (Path f : files) {
            assertTrue(f.toString().endsWith(".pcap.gz"), f.toString());
            byte[] head = Arrays2.head(f, 2);
            assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, head, "gzip magic");
        }
        assertEquals(List.of("call-0", "call-1"), Tshark.fields(files.get(0), "-e", "sip.Call-ID"));
        assertEquals(List.of("call-2", "call-3"), Tshark.fields(files.get(1), "-e", "sip.Call-ID"));
        assertBalanced(t);
    }

    @Test
    void rotates_by_size() throws Exception {
        PcapTransport t = transport(Duration.ZERO, 4096, false, 0, 256);
        t.start();
        sendAndWrite(t, 0, 100);
        t.close();
        List<Path> files = files();
        assertTrue(files.size() >= 3, files.toString());
        int frames = 0;
        for (Path f : files) {
            assertTrue(Files.size(f) < 4096 + 200, f + " is " + Files.size(f) + " bytes");
            frames += Tshark.fields(f, "-e", "frame.number").size();
        }
        assertEquals(100, frames);
        assertTrue(
                files.stream().anyMatch(f -> f.getFileName().toString().endsWith("120000-2.pcap")),
                "same second: numbered " + files);
        assertBalanced(t);
    }

    @Test
    void retention_deletes_the_oldest_files_beyond_the_total_size() throws Exception {
        Path foreign = Files.writeString(dir.resolve("operator-notes.pcap"), "not ours");
        PcapTransport t = transport(Duration.ofSeconds(10), 0, false, 1500, 64);
        t.start();
        for (int round = 0; round < 5; round++) {
            sendAndWrite(t, round * 4, round * 4 + 4); // ~600 bytes a file
            now.addAndGet(10_000);
        }
        t.close();
        List<String> names =
                files().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.contains("operator-notes.pcap"), "files the profile does not name are never deleted");
        assertFalse(names.contains("node1-files-20251203-120000.pcap"), "the oldest is gone: " + names);
        assertTrue(names.contains("node1-files-20251203-120040.pcap"), "the newest stays: " + names);
        long total = 0;
        for (Path p : files()) if (!p.equals(foreign)) total += Files.size(p);
        assertTrue(total <= 1500, total + " bytes kept");
        assertTrue(t.counters().get("files-deleted") >= 2, t.counters().toString());
        assertBalanced(t);
    }

    @Test
    void original_frames_are_written_byte_for_byte_with_their_nanoseconds_and_link_types_get_files_of_their_own()
            throws Exception {
        PcapTransport t = transport(Duration.ZERO, 0, false, 0, 1024);
        t.start();
        List<byte[]> want = new ArrayList<>();
        List<Long> wantNanos = new ArrayList<>();
        for (String file : List.of("sip-udp-nsec.pcap", "sip-sll2.pcap")) {
            PacketDecoder decoder = new PacketDecoder();
            Message m = new Message();
            try (PcapFileSource src = PcapFileSource.open(TestCorpus.file(file))) {
                Frame f = new Frame();
                while (src.next(f) == PacketSource.PACKET) {
                    decoder.decode(f, m, msg -> {
                        if (msg.frame() == null) return;
                        if (file.startsWith("sip-udp")) {
                            want.add(java.util.Arrays.copyOfRange(f.data, f.offset, f.offset + f.length));
                            wantNanos.add(f.timestampNanos);
                        }
                        send(t, msg);
                    });
                }
            }
        }
        send(t, sip(1)); // no frame: synthesised Ethernet, into the Ethernet file
        assertTrue(t.drain(Duration.ofSeconds(10)));
        t.close();
        List<Path> files = files();
        assertEquals(2, files.size(), files.toString());
        Path ethernet = files.stream()
                .filter(p -> !p.toString().contains("-dlt"))
                .findFirst()
                .orElseThrow();
        Path sll2 = files.stream()
                .filter(p -> p.toString().endsWith("-dlt276.pcap"))
                .findFirst()
                .orElseThrow();
        PcapFileWriterTest.Frames got = PcapFileWriterTest.read(ethernet);
        assertEquals(want.size() + 1, got.data().size());
        for (int i = 0; i < want.size(); i++)
            assertArrayEquals(want.get(i), got.data().get(i), "frame " + (i + 1));
        assertEquals(wantNanos, got.nanos().subList(0, want.size()), "nanosecond file, nanoseconds kept");
        assertEquals("call-1", Tshark.fields(ethernet, "-e", "sip.Call-ID").get(want.size()));
        assertEquals(276, PcapFileWriterTest.read(sll2).linkTypes().get(0));
        assertFalse(Tshark.fields(sll2, "-e", "sip.Call-ID").isEmpty());
        assertBalanced(t);
    }

    @Test
    void a_directory_that_cannot_be_written_costs_packets_counted_and_logged_never_the_transport() throws Exception {
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where the directory should be");
        PcapSettings s =
                new PcapSettings(blocked, FileNames.base("n", "files"), Duration.ZERO, 0, false, 0, Duration.ZERO, 64);
        PcapTransport t = new PcapTransport("files", s, false, now::get);
        started.add(t);
        t.start();
        sendAndWrite(t, 0, 5);
        assertEquals(
                5, t.counters().get(PcapTransport.WRITE_FAILED), t.counters().toString());
        assertBalanced(t);
        // the disk comes back: after the retry pause, writing resumes
        Files.delete(blocked);
        now.addAndGet(RotatingPcapFiles.RETRY_MILLIS);
        sendAndWrite(t, 5, 7);
        t.close();
        assertEquals(2, t.counters().get("sent"), t.counters().toString());
        assertBalanced(t);
    }

    @Test
    void a_full_queue_drops_and_counts_instead_of_waiting() throws Exception {
        PcapTransport t = transport(Duration.ZERO, 0, false, 0, 2); // not started: nothing drains
        send(t, sip(0));
        send(t, sip(1));
        offered++;
        assertFalse(t.send(sip(2)));
        assertEquals(1, t.counters().get(PcapTransport.DROPPED));
        assertEquals(2, t.counters().get("queued"));
        assertBalanced(t);
    }
}
