package org.heptap.core.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.heptap.core.testing.CapturedLog;
import org.junit.jupiter.api.Test;

/**
 * heptap logs through one API, {@link System.Logger}; java.util.logging is only its backend,
 * configured in this package ({@link LogSetup}), so levels and the line format apply to all.
 */
class OneLoggingApiTest {
    /** The collector sockets' new classes (Netty), still being worked on elsewhere; to switch next. */
    private static final Set<String> NOT_YET = Set.of("CollectorSocket.java", "CollectorLog.java", "PlanIntake.java");

    @Test
    void main_sources_log_through_system_logger_only() throws IOException {
        Path home = Path.of(System.getProperty("heptap.home", ".."));
        List<Path> sources;
        try (Stream<Path> modules = Files.list(home)) {
            sources = modules.map(m -> m.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .flatMap(OneLoggingApiTest::javaFiles)
                    .toList();
        }
        assertTrue(sources.size() > 100, "found the sources under " + home.toAbsolutePath() + ": " + sources.size());
        List<String> offenders = sources.stream()
                .filter(p -> !p.toString().replace('\\', '/').contains("/org/heptap/core/log/"))
                .filter(p -> !NOT_YET.contains(p.getFileName().toString()))
                .filter(p -> read(p).contains("java.util.logging"))
                .map(p -> home.relativize(p).toString())
                .toList();
        assertEquals(
                List.of(),
                offenders,
                "use System.Logger (java.util.logging is configured in org.heptap.core.log only)");
    }

    @Test
    void log_setup_levels_apply_to_system_loggers() {
        System.Logger log = System.getLogger("org.heptap.some.module.Thing");
        try (CapturedLog captured = CapturedLog.of(OneLoggingApiTest.class)) {
            LogSetup.setLevel("warning");
            assertFalse(log.isLoggable(Level.INFO));
            assertTrue(log.isLoggable(Level.WARNING));
            LogSetup.setLevel("debug");
            assertTrue(log.isLoggable(Level.DEBUG));
            assertFalse(log.isLoggable(Level.TRACE));
            System.getLogger(OneLoggingApiTest.class.getName())
                    .log(Level.INFO, "reaches the java.util.logging handlers {0}");
            assertEquals(List.of("reaches the java.util.logging handlers {0}"), captured.messages());
        } finally {
            LogSetup.setLevel("info");
        }
    }

    private static Stream<Path> javaFiles(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
