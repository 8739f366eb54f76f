package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit codes of a file replay (README "Exit codes"), as a script sees them from bin/heptap:
 * 0 all delivered, 4 input missing or corrupt (frames before the damage still replayed),
 * 5 some messages not delivered; and --loop, --max-gap. Corrupt captures are made here from
 * corpus files, cut or garbled.
 */
@Offline
class ReplayExitCodesIT {
    private static final String CAPTURE = "sip-udp-v4.pcap"; // 140 SIP messages, one per frame
    private static final int INPUT = 4;
    private static final int SOME_UNDELIVERED = 5;

    private static List<String> heptap(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Env.heptap().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Replays {@code file} to a fresh hep-sink; returns the agent and what the sink received. */
    private static Replay replay(Path file, String... extra) throws Exception {
        try (HepSink sink = HepSink.startUdp()) {
            List<String> cmd = heptap("-r", file.toString(), "-m", "sip", "-H", "udp:127.0.0.1:" + sink.udpPort);
            cmd.addAll(List.of(extra));
            Proc agent = Proc.run(Duration.ofSeconds(120), cmd);
            return new Replay(agent, Env.payloadShas(sink.stopAndRead()));
        }
    }

    private record Replay(Proc agent, List<String> received) {}

    @Test
    void a_missing_file_or_a_directory_is_named_with_what_was_expected(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("y.pcap");
        Proc p = Proc.run(Duration.ofSeconds(60), heptap("-r", missing.toString()));
        assertEquals(INPUT, p.exitCode(), p.stderr());
        assertEquals("heptap: -r " + missing + ": no such file (expected a pcap or pcapng capture file)\n", p.stderr());

        Proc d = Proc.run(Duration.ofSeconds(60), heptap("-r", dir.toString()));
        assertEquals(INPUT, d.exitCode(), d.stderr());
        assertEquals("heptap: -r " + dir + ": is a directory (expected a pcap or pcapng capture file)\n", d.stderr());
    }

    @Test
    void every_message_delivered_exits_0() throws Exception {
        Replay r = replay(Env.corpus(CAPTURE));
        assertEquals(0, r.agent.exitCode(), r.agent.stderr());
        assertEquals(Env.expectedPayloadShas(CAPTURE), r.received);
    }

    @Test
    void a_record_beyond_the_snaplen_is_reported_and_the_records_before_it_replayed(@TempDir Path dir)
            throws Exception {
        ByteBuffer b = classic(CAPTURE);
        b.putInt(16, 65535); // every record of this capture fits 65535 bytes
        int at = classicRecordOffsets(b).get(16); // record 17
        b.putInt(at + 8, 70000);
        Path file = Files.write(dir.resolve("beyond-snaplen.pcap"), b.array());
        assertDamaged(file, "record 17 at byte " + at + ": length 70000 beyond snaplen 65535", CAPTURE, 16);
    }

    @Test
    void garbage_after_valid_records_is_reported(@TempDir Path dir) throws Exception {
        ByteBuffer b = classic(CAPTURE);
        int end = classicRecordOffsets(b).get(3); // the header and records 1-3 stay valid
        byte[] bytes = Arrays.copyOf(b.array(), end + 200);
        Arrays.fill(bytes, end, bytes.length, (byte) 0xa5);
        Path file = Files.write(dir.resolve("garbage.pcap"), bytes);
        assertDamaged(file, "record 4 at byte " + end + ": length 2779096485 beyond snaplen 262144", CAPTURE, 3);
    }

    @Test
    void a_broken_pcapng_block_is_reported(@TempDir Path dir) throws Exception {
        String capture = "sip-udp.pcapng";
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Env.corpus(capture))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x1a2b3c4d, b.getInt(8), "a little-endian pcapng");
        // blocks: section header, interface description, then one enhanced packet block per frame
        List<Integer> blocks = new ArrayList<>();
        for (int at = 0; at < b.limit(); at += b.getInt(at + 4)) blocks.add(at);
        int broken = blocks.get(2 + 10); // the 11th packet's block
        int length = b.getInt(broken + 4);
        b.putInt(broken + length - 4, length + 4); // its trailing length no longer matches
        Path file = Files.write(dir.resolve("broken.pcapng"), b.array());
        assertDamaged(
                file,
                "block 13 at byte " + broken + ": block length " + length + " does not match its trailer "
                        + (length + 4),
                capture,
                10);
    }

    /** Exit 4, the damage named as the README shows it, and the frames before it delivered. */
    private static void assertDamaged(Path file, String damage, String capture, int framesBefore) throws Exception {
        Replay r = replay(file);
        assertEquals(INPUT, r.agent.exitCode(), r.agent.stderr());
        assertTrue(r.agent.stderr().contains(file + ": " + damage), r.agent.stderr());
        assertEquals(Env.expectedPayloadShas(capture).subList(0, framesBefore), r.received);
    }

    @Test
    void a_collector_that_gets_nothing_beside_one_that_gets_all_exits_5(@TempDir Path dir) throws Exception {
        int closed = Env.freeTcpPort(); // nothing listens: every message to it is dropped
        try (HepSink sink = HepSink.startUdp()) {
            Path yaml = Env.oneSocketConfig(dir, """
                    capture[pcap] {
                        if (parse_sip()) {
                            send_hep("sink");
                            send_hep("dead");
                        }
                        drop;
                    }
                    """, """
                    sink:
                      type: hep
                      host: 127.0.0.1
                      port: %d
                    dead:
                      type: hep
                      proto: tcp
                      host: 127.0.0.1
                      port: %d
                    """.formatted(sink.udpPort, closed));
            Proc p = Proc.run(
                    Duration.ofSeconds(120),
                    heptap(
                            "--config",
                            yaml.toString(),
                            "--control",
                            dir.resolve("ctl.sock").toString(),
                            "-r",
                            Env.corpus(CAPTURE).toString()));
            assertEquals(SOME_UNDELIVERED, p.exitCode(), p.stderr());
            assertTrue(
                    p.stderr().contains("sent 140 messages (by transport: sink 140, dead 0), unsent 140"), p.stderr());
            assertEquals(Env.expectedPayloadShas(CAPTURE), Env.payloadShas(sink.stopAndRead()));
        }
    }

    @Test
    void loop_replays_the_file_that_many_times() throws Exception {
        Replay r = replay(Env.corpus(CAPTURE), "--loop", "3");
        assertEquals(0, r.agent.exitCode(), r.agent.stderr());
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 3; i++) want.addAll(Env.expectedPayloadShas(CAPTURE));
        assertEquals(want, r.received);
        assertTrue(r.agent.stderr().contains("replay pass 3 of 3"), r.agent.stderr());
    }

    @Test
    void real_speed_caps_a_long_gap_and_says_so_once() throws Exception {
        // the sample call waits 2.14 s (ringing) and then 30 s (the call) between messages: both
        // are shortened to 1 s, the first one logged
        long t0 = System.nanoTime();
        Replay r = replay(Env.home().resolve("conf/samples/sample-call.pcap"), "--speed", "real");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertEquals(0, r.agent.exitCode(), r.agent.stderr());
        assertEquals(7, r.received.size());
        List<String> capped = r.agent
                .stderr()
                .lines()
                .filter(l -> l.contains("shortened to 1 s (--max-gap"))
                .toList();
        assertEquals(1, capped.size(), r.agent.stderr());
        assertTrue(capped.get(0).contains("a wait of 2.140 s before packet 4"), capped.get(0));
        assertTrue(seconds < 20, "replayed in " + seconds + " s, not the capture's 32 s");
    }

    private static ByteBuffer classic(String capture) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Env.corpus(capture))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt(0), "a little-endian microsecond pcap");
        return b;
    }

    /** Byte offset of each record's header, in order. */
    private static List<Integer> classicRecordOffsets(ByteBuffer b) {
        List<Integer> at = new ArrayList<>();
        for (int o = 24; o + 16 <= b.limit(); o += 16 + b.getInt(o + 8)) at.add(o);
        return Collections.unmodifiableList(at);
    }
}
