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
        Proc p = start(home, cache, List.of(env), "--version");
        assertEquals(0, p.exitCode(), p.stderr());
        return p;
    }

    /** bin/heptap of {@code home} with {@code args}, its archive in {@code cache}, {@code env} added. */
    private static Proc start(Path home, Path cache, List<String> env, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("env", "-u", "JAVA_OPTS", "HEPTAP_HOME=" + home, "XDG_CACHE_HOME=" + cache));
        command.addAll(env);
        command.add(home.resolve("bin/heptap").toString());
        command.addAll(List.of(args));
        return Proc.run(Duration.ofSeconds(120), command);
    }

    /** The picocli classes a start with {@code args} loads, as -Xlog:class+load lists them. */
    private static List<String> picocliLoaded(Path home, Path cache, Path dir, String... args) throws Exception {
        Path loaded = dir.resolve("class-load-" + args.length + ".log");
        Files.deleteIfExists(loaded);
        // the java launcher adds JDK_JAVA_OPTIONS to bin/heptap's own options
        start(home, cache, List.of("JDK_JAVA_OPTIONS=-Xlog:class+load=info:file=" + loaded), args);
        assertTrue(Files.size(loaded) > 0, "class loading logged in " + loaded);
        return Files.readAllLines(loaded).stream()
                .filter(l -> l.contains(" picocli."))
                .toList();
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
     * by the replay benchmark against the build before picocli): the archive must hold them for
     * the starts that use picocli (help, usage errors, --version), although the run it is made
     * from no longer loads them.
     */
    @Test
    void the_archive_holds_the_command_line_parser(@TempDir Path dir) throws Exception {
        Path home = install(dir);
        Path cache = dir.resolve("cache");
        version(home, cache);

        for (String[] args : List.of(new String[] {"--version"}, new String[] {"--help"}, new String[] {"-h", "x"})) {
            List<String> picocli = picocliLoaded(home, cache, dir, args);
            assertTrue(picocli.size() > 50, List.of(args) + " uses picocli: " + picocli);
            List<String> read = picocli.stream()
                    .filter(l -> !l.endsWith("source: shared objects file"))
                    .toList();
            assertTrue(
                    read.isEmpty(),
                    List.of(args) + ": " + read.size() + " picocli classes read from the jar, not the archive: "
                            + read);
        }
    }

    /**
     * An ordinary start reads its plain command line without picocli, whose first use alone cost
     * ~50 ms of CPU at every start (bench/README.md, "Start-up with a static archive").
     */
    @Test
    void an_ordinary_start_loads_no_picocli_class(@TempDir Path dir) throws Exception {
        Path home = install(dir);
        Path cache = dir.resolve("cache");
        version(home, cache);

        String sample = home.resolve("conf/samples/sample-call.pcap").toString();
        List<String> picocli = picocliLoaded(
                home, cache, dir, "-r", sample, "-H", "udp:127.0.0.1:9", "--control", "/nonexistent/heptap.sock");
        assertEquals(List.of(), picocli, "a replay of the sample loads picocli");
    }
}
