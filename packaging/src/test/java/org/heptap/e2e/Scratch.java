package org.heptap.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary files and folders the end-to-end helpers make outside a test's own {@code @TempDir}
 * (a child's output, a sink's record, a browser profile), removed when the test JVM exits: they
 * must outlive the helper that made them (a failing test reads them into its message), and one
 * suite run makes hundreds of them, which used to pile up in /tmp run after run.
 */
final class Scratch {
    private static final Set<Path> MADE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Scratch::removeAll, "e2e-scratch-cleanup"));
    }

    private Scratch() {}

    static Path file(String prefix, String suffix) throws IOException {
        return kept(Files.createTempFile(prefix, suffix));
    }

    static Path folder(String prefix) throws IOException {
        return kept(Files.createTempDirectory(prefix));
    }

    private static Path kept(Path p) {
        MADE.add(p);
        return p;
    }

    /** Removes everything made so far (folders with their contents); what cannot go stays. */
    static void removeAll() {
        for (Path p : MADE) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
                } catch (IOException e) {
                    // a browser may still be writing into its profile: leave the rest for the OS
                }
            } else {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // nothing better to do at exit
                }
            }
            MADE.remove(p);
        }
    }
}
