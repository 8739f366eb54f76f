package org.heptap.core.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binary answers over the line protocol (heptapctl pcap): the agent's side frames bytes as base64
 * lines and ends them; the client's side writes them out, and removes a file left incomplete.
 */
class BinaryAnswerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every byte value, more than one chunk of it, survives LineReply's framing exactly. */
    @Test
    void bytes_written_to_a_reply_arrive_whole_in_lines_and_end(@TempDir Path dir) throws Exception {
        byte[] data = new byte[LineReply.CHUNK * 2 + 1234];
        new Random(3).nextBytes(data);
        Path sock = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            try (LineChannel client = LineChannel.connect(sock, ControlClient.MAX_ANSWER, 10_000);
                    SocketChannel accepted = server.accept();
                    LineChannel agentSide = new LineChannel(accepted, 1024)) {
                Thread writer = new Thread(() -> {
                    try {
                        LineReply r = new LineReply(agentSide, 10_000);
                        OutputStream out = r.binary(Map.of("calls", 1));
                        out.write(data, 0, 10);
                        out.write(data, 10, data.length - 10);
                        r.end(Map.of("frames", 3));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                writer.start();
                List<JsonNode> lines = new ArrayList<>();
                String line;
                while ((line = client.readLine(10_000)) != null) {
                    JsonNode n = JSON.readTree(line);
                    lines.add(n);
                    if (n.has("end")) break;
                }
                writer.join(10_000);
                assertTrue(lines.get(0).path("ok").asBoolean());
                assertTrue(lines.get(0).path("binary").asBoolean());
                assertEquals(1, lines.get(0).path("calls").asInt());
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                for (JsonNode n : lines.subList(1, lines.size() - 1))
                    got.write(Base64.getDecoder().decode(n.get("data").asText()));
                assertArrayEquals(data, got.toByteArray());
                assertEquals(3, lines.get(lines.size() - 1).path("frames").asInt());
                assertTrue(lines.size() >= 5, "split in chunks: " + lines.size() + " lines");
            }
        }
    }

    record Run(int code, byte[] out, String err) {
        static Run of(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = ControlClient.run(
                    args, new PrintStream(out, true), new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        }
    }

    private static String data(byte[] b) {
        return "{\"data\":\"" + Base64.getEncoder().encodeToString(b) + "\"}";
    }

    @Test
    void pcap_writes_the_data_to_the_file_and_the_summary_to_stderr(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("call.pcap");
        try (FakeAgent agent = new FakeAgent(
                dir.resolve("a.sock"),
                List.of(
                        "{\"ok\":true,\"binary\":true,\"calls\":1}",
                        data(new byte[] {1, 2, 3}),
                        data(new byte[] {(byte) 0xff, 0}),
                        "{\"end\":true,\"frames\":7,\"text\":\"7 frame(s) of 1 call(s)\\n\"}"),
                true)) {
            Run r = Run.of(
                    "--control", agent.path.toString(), "pcap", "--call-id", "abc@h", "--media", "-o", file.toString());
            assertEquals(0, r.code, r.err);
            assertEquals("pcap call-id=abc@h media", agent.command());
            assertArrayEquals(new byte[] {1, 2, 3, (byte) 0xff, 0}, Files.readAllBytes(file));
            assertEquals("7 frame(s) of 1 call(s)\n", r.err);
        }
    }

    @Test
    void pcap_to_stdout_writes_only_the_data_there(@TempDir Path dir) throws Exception {
        try (FakeAgent agent = new FakeAgent(
                dir.resolve("a.sock"),
                List.of("{\"ok\":true,\"binary\":true}", data(new byte[] {9, 8}), "{\"end\":true}"),
                true)) {
            Run r = Run.of("--control", agent.path.toString(), "pcap", "--user", "1001", "-o", "-");
            assertEquals(0, r.code, r.err);
            assertEquals("pcap user=1001", agent.command());
            assertArrayEquals(new byte[] {9, 8}, r.out);
        }
    }

    @Test
    void a_stream_cut_before_its_end_is_an_error_and_leaves_no_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("call.pcap");
        try (FakeAgent agent = new FakeAgent(
                dir.resolve("a.sock"), List.of("{\"ok\":true,\"binary\":true}", data(new byte[] {1})), true)) {
            Run r = Run.of("--control", agent.path.toString(), "pcap", "--call-id", "x", "-o", file.toString());
            assertEquals(3, r.code);
            assertTrue(r.err.contains("closed the connection before the end of the data"), r.err);
            assertFalse(Files.exists(file), "an incomplete pcap is removed");
        }
    }

    @Test
    void a_refusal_midway_is_exit_1_and_leaves_no_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("call.pcap");
        try (FakeAgent agent = new FakeAgent(
                dir.resolve("a.sock"),
                List.of(
                        "{\"ok\":true,\"binary\":true}",
                        data(new byte[] {1}),
                        "{\"ok\":false,\"error\":\"disk read failed\"}"),
                true)) {
            Run r = Run.of("--control", agent.path.toString(), "pcap", "--call-id", "x", "-o", file.toString());
            assertEquals(1, r.code);
            assertEquals("heptapctl: disk read failed\n", r.err);
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void since_and_until_go_to_the_agent_as_epoch_nanoseconds(@TempDir Path dir) throws Exception {
        try (FakeAgent agent =
                new FakeAgent(dir.resolve("a.sock"), List.of("{\"ok\":false,\"error\":\"no call\"}"), true)) {
            Run r = Run.of(
                    "--control",
                    agent.path.toString(),
                    "pcap",
                    "--user",
                    "1001",
                    "--since",
                    "2025-12-03T10:00:00Z",
                    "--until",
                    "1764756000.5",
                    "-o",
                    dir.resolve("x.pcap").toString());
            assertEquals(1, r.code);
            assertEquals("pcap user=1001 since=1764756000000000000 until=1764756000500000000", agent.command());
        }
    }

    @Test
    void a_time_that_is_none_is_a_usage_error() {
        Run r = Run.of("pcap", "--user", "1", "--since", "yesterday", "-o", "x.pcap");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("'yesterday' is not a time"), r.err);
        Run none = Run.of("pcap", "-o", "x.pcap");
        assertEquals(2, none.code);
        assertTrue(none.err.contains("pcap needs --call-id ID or --user NUMBER"), none.err);
    }

    @Test
    void ages_count_back_from_now() {
        long now = 1_764_756_000_000L;
        assertEquals((now - 3_600_000L) * 1_000_000L, TimeArgument.epochNanos("1h", now));
        assertEquals((now - 90_000L) * 1_000_000L, TimeArgument.epochNanos("90s", now));
    }

    @Test
    void calls_prints_the_agents_table(@TempDir Path dir) throws Exception {
        try (FakeAgent agent = new FakeAgent(
                dir.resolve("a.sock"),
                List.of("{\"ok\":true,\"calls\":[],\"text\":\"START  CALL-ID\\n(no calls in the ring)\\n\"}"),
                true)) {
            Run r = Run.of("--control", agent.path.toString(), "calls", "--recent", "--limit", "5");
            assertEquals(0, r.code, r.err);
            assertEquals("calls limit=5", agent.command());
            assertEquals("START  CALL-ID\n(no calls in the ring)\n", new String(r.out, StandardCharsets.UTF_8));
        }
    }
}
