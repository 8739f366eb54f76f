package org.heptap.core.testing;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Configuration files far larger or denser than any real one, for the loader's limits. */
public final class OversizedConfigs {
    private OversizedConfigs() {}

    /** {@code kN: 1} lines until the file holds {@code bytes} bytes (whole lines). */
    public static Path keys(Path f, long bytes) throws IOException {
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            long written = 0;
            for (int i = 0; written < bytes; i++) {
                String line = "k" + i + ": 1\n";
                if (written + line.length() > bytes) line = "#".repeat((int) (bytes - written - 1)) + "\n";
                w.write(line);
                written += line.length();
            }
        }
        return f;
    }

    /** One double-quoted scalar of {@code chars} characters (rounded up to 64k). */
    public static Path quotedScalar(Path f, long chars) throws IOException {
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("agent:\n  node-name: \"");
            char[] block = new char[64 << 10];
            java.util.Arrays.fill(block, 'a');
            for (long n = 0; n < chars; n += block.length) w.write(block);
            w.write("\"\n");
        }
        return f;
    }

    /** {@code x: [a,a,a,...]}: half a million list items in one flow sequence. */
    public static Path flowList(Path f, long bytes) throws IOException {
        try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("x: [");
            for (long n = 6; n + 2 <= bytes; n += 2) w.write("a,");
            w.write("a]");
        }
        return f;
    }
}
