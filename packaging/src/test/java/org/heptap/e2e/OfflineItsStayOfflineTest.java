package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An {@link Offline} end-to-end class runs at the same time as another class (which may be
 * capturing on lo, driving sipp on fixed ports or installing the .deb): its source must not
 * show any of the things that would make the two see each other.
 */
class OfflineItsStayOfflineTest {
    private static final Pattern LIVE_DEVICE = Pattern.compile("device:\\s*(lo|any)\\b"); // configured capture

    /** What a class that shares the machine's loopback or state does, each with what it is. */
    private static final List<Pattern> SHARED = List.of(
            Pattern.compile("\"lo\""), // a live capture on lo (heptap -i lo, tcpdump -i lo)
            Pattern.compile("\"-i\""), // any live capture interface
            LIVE_DEVICE,
            Pattern.compile("\"(sipp|tcpdump|dpkg|useradd|chromium)\""), // fixed ports, system state
            Pattern.compile("\\b(NetNs|WebAgent|LiveV6Call|Browser)\\b"), // helpers doing the above
            // shared mutable state: a static field that is not final (a @TempDir one is set once, before any test)
            Pattern.compile("@Offline[\\s\\S]*(?<!@TempDir\\s{1,20})\\bstatic\\s+(?!final)[\\w<>,\\s]+\\w+\\s*[=;]"));

    /**
     * A configuration naming a live device in a class that only ever runs it with {@code -r}
     * (a replay feeds the file through the sockets and opens no device): class and why.
     */
    private static final Map<String, String> REPLAY_ONLY_DEVICE = Map.of(
            "CallRingIT.java", "config(...) is only run by replayAndStay, with -r",
            "FailoverIT.java", "its one agent runs with -r");

    private static Path sources() {
        return Env.home().resolve("packaging/src/test/java/org/heptap/e2e");
    }

    /** The annotation on a line of its own, as the formatter puts it before {@code class}. */
    private static final Pattern MARKED = Pattern.compile("(?m)^@Offline$");

    static boolean isOffline(String source) {
        return MARKED.matcher(source).find();
    }

    static List<String> problems(String name, String source) {
        List<String> found = new ArrayList<>();
        if (!isOffline(source)) return found;
        for (Pattern p : SHARED) {
            if (p == LIVE_DEVICE && REPLAY_ONLY_DEVICE.containsKey(name)) continue;
            var m = p.matcher(source);
            if (m.find()) found.add(name + ": " + m.group().lines().findFirst().orElse("") + " (" + p + ")");
        }
        return found;
    }

    @Test
    void offline_classes_capture_nothing_live_and_share_nothing() throws Exception {
        List<String> found = new ArrayList<>();
        int offline = 0;
        try (Stream<Path> files = Files.list(sources())) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith("IT.java")).sorted().toList()) {
                String source = Files.readString(f);
                if (isOffline(source)) offline++;
                found.addAll(problems(f.getFileName().toString(), source));
            }
        }
        assertEquals(List.of(), found);
        assertTrue(offline > 0, "no class is marked @Offline in " + sources());
    }

    @Test
    void a_live_class_marked_offline_is_caught() {
        String live = """
                @Offline
                class SomeIT {
                    void t() {
                        Proc.start(List.of(Env.heptap().toString(), "-i", "lo"));
                    }
                }
                """;
        assertEquals(
                2,
                problems("SomeIT.java", live).size(),
                problems("SomeIT.java", live).toString());
        String state = "@Offline\nclass OtherIT {\n    private static int runs = 0;\n}\n";
        assertEquals(1, problems("OtherIT.java", state).size());
        assertEquals(
                List.of(), problems("ReplayIT.java", "@Offline\nclass ReplayIT {\n    static final int N = 1;\n}\n"));
        assertEquals(
                1,
                problems("DeviceIT.java", "@Offline\nclass DeviceIT {\n    String y = \"device: any\";\n}\n")
                        .size());
    }
}
