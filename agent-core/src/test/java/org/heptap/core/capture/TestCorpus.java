package org.heptap.core.capture;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.heptap.core.decode.PacketDecoder;
import org.heptap.core.message.Message;
import org.yaml.snakeyaml.Yaml;

/** The repository's capture corpus (testdata/corpus): files, MANIFEST.json entries and expected/*.jsonl lines. */
public final class TestCorpus {
    private static Path shared;
    private static List<Map<String, Object>> captures;

    private TestCorpus() {}

    /**
     * The repository's {@code testdata/} folder ({@code heptap.testdata}, set by surefire; else found
     * from the working directory). Tests never read anything outside the repository.
     */
    public static synchronized Path shared() {
        if (shared != null) return shared;
        Path p = Path.of(System.getProperty("heptap.testdata", "../testdata"));
        if (!Files.isRegularFile(p.resolve("corpus/MANIFEST.json"))) {
            fail("testdata/corpus/MANIFEST.json not found (set -Dheptap.testdata=DIR): tried " + p.toAbsolutePath());
        }
        shared = p;
        return p;
    }

    public static Path file(String name) {
        return shared().resolve("corpus").resolve(name);
    }

    @SuppressWarnings("unchecked")
    public static synchronized List<Map<String, Object>> captures() {
        if (captures == null) {
            try {
                Map<String, Object> m = new Yaml().load(Files.readString(shared().resolve("corpus/MANIFEST.json")));
                captures = (List<Map<String, Object>>) m.get("captures");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return captures;
    }

    public static Map<String, Object> manifest(String file) {
        for (Map<String, Object> c : captures()) {
            if (file.equals(c.get("file"))) return c;
        }
        throw new AssertionError("no MANIFEST entry for " + file);
    }

    /** One map per line of {@code expected/<file>.jsonl}. */
    public static List<Map<String, Object>> expected(String file) {
        List<Map<String, Object>> out = new ArrayList<>();
        Yaml yaml = new Yaml();
        try {
            for (String line : Files.readAllLines(shared().resolve("corpus/expected/" + file + ".jsonl"))) {
                if (!line.isBlank()) out.add(yaml.load(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static long asLong(Object o) {
        return ((Number) o).longValue();
    }

    /** Every message of a corpus capture, read and decoded by the agent's real reader and decoder, in capture order. */
    public static void decode(String capture, Consumer<Message> each) throws IOException {
        PacketDecoder decoder = new PacketDecoder();
        Message message = new Message();
        try (PcapFileSource src = PcapFileSource.open(file(capture), ReplayPacer.parse("max"))) {
            Frame f = new Frame();
            while (true) {
                int r = src.next(f);
                if (r == PacketSource.END) break;
                if (r == PacketSource.PACKET) decoder.decode(f, message, each::accept);
            }
        }
    }
}
