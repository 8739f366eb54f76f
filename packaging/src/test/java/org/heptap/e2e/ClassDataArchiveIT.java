package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/heptap makes its class-data-sharing archive on the first start and uses it from then on.
 * The archive is made by replaying the bundled sample to a port nobody listens on, so that run
 * ends with "some messages did not reach their collector" (exit 5) whenever the host answers
 * port unreachable: the archive must be kept all the same, or every start pays for making it
 * again (on a 20k-call replay, 5.0 instead of 2.5 CPU-s and 131 instead of 72 MB, found by the
 * replay benchmark).
 */
@Offline
class ClassDataArchiveIT {
    /** An installed tree (bin/ lib/ conf/) of this build, so the archive goes to the cache folder, not the build's lib/. */
    private static Path install(Path dir) throws Exception {
        Path home = dir.resolve("heptap");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(home.resolve("conf/samples"));
        Files.copy(Env.heptap(), home.resolve("bin/heptap"));
        Files.copy(Env.home().resolve("conf/samples/sample-call.pcap"), home.resolve("conf/samples/sample-call.pcap"));
        try (Stream<Path> jars = Files.list(Env.home().resolve("packaging/target/lib"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, home.resolve("lib").resolve(jar.getFileName()));
            }
        }
        return home;
    }

    private static List<Path> archives(Path cache) throws Exception {
        Path folder = cache.resolve("heptap");
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".jsa")).toList();
        }
    }

    private static Proc version(Path home, Path cache, String... env) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("env", "-u", "JAVA_OPTS", "HEPTAP_HOME=" + home, "XDG_CACHE_HOME=" + cache));
        command.addAll(List.of(env));
        command.addAll(List.of(home.resolve("bin/heptap").toString(), "--version"));
        Proc p = Proc.run(Duration.ofSeconds(120), command);
        assertEquals(0, p.exitCode(), p.stderr());
        return p;
    }

    @Test
    void the_first_start_makes_the_archive_and_later_starts_keep_it(@TempDir Path dir) throws Exception {
        Path home = install(dir);
        Path cache = dir.resolve("cache");

        version(home, cache);
        List<Path> made = archives(cache);
        assertEquals(1, made.size(), "one archive in " + cache + ": " + made);
        assertTrue(Files.size(made.get(0)) > 1 << 20, made.get(0) + " holds the classes");
        FileTime first = Files.getLastModifiedTime(made.get(0));

        version(home, cache);
        assertEquals(made, archives(cache));
        assertEquals(first, Files.getLastModifiedTime(made.get(0)), "the second start used the archive, not a new one");
    }

    /**
     * picocli ships Java 5 class files, which a dynamic archive (-XX:ArchiveClassesAtExit) leaves
     * out on JDK 17, so every start read and verified its ~170 classes again (~0.2 CPU-s, found
     * by the replay benchmark against the build before picocli): the archive must hold them.
     */
    @Test
    void the_archive_holds_the_command_line_parser(@TempDir Path dir) throws Exception {
        Path home = install(dir);
        Path cache = dir.resolve("cache");
        version(home, cache);

        Path loaded = dir.resolve("class-load.log");
        // the java launcher adds JDK_JAVA_OPTIONS to bin/heptap's own options
        version(home, cache, "JDK_JAVA_OPTIONS=-Xlog:class+load=info:file=" + loaded);
        List<String> picocli = Files.readAllLines(loaded).stream()
                .filter(l -> l.contains(" picocli."))
                .toList();
        assertTrue(picocli.size() > 50, "--version parses its command line with picocli: " + picocli);
        List<String> read = picocli.stream()
                .filter(l -> !l.endsWith("source: shared objects file"))
                .toList();
        assertTrue(read.isEmpty(), read.size() + " picocli classes read from the jar, not the archive: " + read);
    }
}
