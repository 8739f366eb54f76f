package org.heptap.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code tshark -r} on a file the tests wrote: the independent reader of what we write. */
final class Tshark {
    private Tshark() {}

    /** One line per frame: the fields asked for, tab-separated; fails when tshark complains. */
    static List<String> fields(Path file, String... fieldsAndOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields"));
        cmd.addAll(Arrays.asList(fieldsAndOptions));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out;
        byte[] err;
        try {
            out = p.getInputStream().readAllBytes();
            err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("tshark did not finish on " + file);
        } finally {
            p.destroyForcibly();
        }
        // as root tshark warns that it runs as root; anything else on stderr is about the file
        String errors = new String(err, StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.startsWith("Running as user"))
                .reduce("", (a, b) -> a + b + "\n")
                .strip();
        assertEquals(0, p.exitValue(), "tshark -r " + file + ": " + errors);
        assertEquals("", errors, "tshark -r " + file + " complained");
        String text = new String(out, StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
}
