package org.heptap.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The control-socket protocol under arbitrary bytes: the line framing both ends use, and a live
 * control server that must answer every connection with exactly what the protocol promises (one
 * JSON answer to a command line, a refusal to an overlong one, nothing to no line at all), never
 * hang, and keep serving.
 *
 * <p>Seeds: {@code src/test/resources/org/heptap/core/control/ControlProtocolFuzzTestInputs/<method>/}.
 */
class ControlProtocolFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ANSWER_MILLIS = 10_000;
    private static Path dir;
    private static TestAgent agent;

    @BeforeAll
    static void startAgent() throws IOException {
        dir = Files.createTempDirectory("heptap-control-fuzz");
        agent = TestAgent.start(dir, ControlServer.IDLE_MILLIS);
    }

    @AfterAll
    static void stopAgent() throws IOException {
        if (agent != null) agent.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /**
     * LineBuffer fed in chunks of 1 to 16 bytes yields exactly the lines of the input up to the
     * first one over the bound, then says it overflowed; never a line longer than the bound.
     * Input: byte 0 picks the bound (1-64), byte 1 the chunk size, the rest is the stream.
     */
    @FuzzTest(maxDuration = "10s")
    void lineFraming(byte[] input) throws IOException {
        if (input.length < 2) return;
        int max = (input[0] & 63) + 1;
        int chunk = (input[1] & 15) + 1;
        byte[] stream = Arrays.copyOfRange(input, 2, input.length);

        List<String> expected = new ArrayList<>();
        boolean expectOverflow = false;
        for (int p = 0; p < stream.length; ) {
            int nl = indexOf(stream, (byte) '\n', p);
            int end = nl < 0 ? stream.length : nl;
            if (end - p > max) {
                expectOverflow = true;
                break;
            }
            if (nl < 0) break;
            int len = end > p && stream[end - 1] == '\r' ? end - 1 - p : end - p;
            expected.add(new String(stream, p, len, StandardCharsets.UTF_8));
            p = nl + 1;
        }

        LineBuffer buf = new LineBuffer(max);
        ReadableByteChannel ch = chunks(stream, chunk);
        List<String> got = new ArrayList<>();
        boolean overflow = false;
        for (int reads = 0; !overflow; reads++) {
            assertTrue(reads <= stream.length + 2, "LineBuffer stopped making progress");
            String line;
            while ((line = buf.nextLine()) != null) {
                assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= max || line.contains("\uFFFD"), line);
                got.add(line);
            }
            overflow = buf.overflowed();
            if (!overflow && buf.fill(ch) < 0) break;
        }
        assertEquals(expected, got);
        assertEquals(expectOverflow, overflow);
    }

    /** One connection carrying the input: the answer the protocol promises, then the server still serves. */
    @FuzzTest(maxDuration = "10s")
    void everyConnectionGetsItsAnswer(byte[] input) throws IOException {
        int nl = indexOf(input, (byte) '\n', 0);
        String answer = exchange(input);
        if (nl >= 0 && nl <= CommandIntake.MAX_COMMAND) {
            assertNotNull(answer, "a command line must be answered");
            JsonNode a = JSON.readTree(answer);
            assertTrue(a.isObject() && a.path("ok").isBoolean(), answer);
            if (!a.get("ok").asBoolean()) assertFalse(a.path("error").asText().isEmpty(), answer);
        } else if (input.length > CommandIntake.MAX_COMMAND) {
            assertNotNull(answer, "an overlong line is refused with a message");
            assertEquals(
                    "command longer than 4096 bytes; closed",
                    JSON.readTree(answer).path("error").asText());
        } else {
            assertNull(answer, "no command line, no answer");
        }
        JsonNode status = JSON.readTree(exchange("status\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(status.path("ok").asBoolean(), "still serving: " + status);
    }

    /** Writes {@code bytes}, ends the sending side, and reads the first line back (null at end of stream). */
    private static String exchange(byte[] bytes) throws IOException {
        SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX);
        raw.connect(UnixDomainSocketAddress.of(agent.socket));
        try (LineChannel c = new LineChannel(raw, 1 << 20)) {
            try {
                c.write(ByteBuffer.wrap(bytes), ANSWER_MILLIS);
                raw.shutdownOutput();
            } catch (IOException refused) {
                // the server stopped reading (an overlong line): its answer is waiting
            }
            return c.readLine(ANSWER_MILLIS);
        }
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) if (a[i] == b) return i;
        return -1;
    }

    /** A channel handing out {@code data} at most {@code chunk} bytes per read. */
    private static ReadableByteChannel chunks(byte[] data, int chunk) {
        return new ReadableByteChannel() {
            private int pos;

            @Override
            public int read(ByteBuffer dst) {
                if (pos >= data.length) return -1;
                int n = Math.min(Math.min(chunk, dst.remaining()), data.length - pos);
                dst.put(data, pos, n);
                pos += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
    }
}
