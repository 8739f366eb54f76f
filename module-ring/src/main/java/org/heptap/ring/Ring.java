package org.heptap.ring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** A running ring: its store, the recorder that feeds it, and a spill directory it may own. */
final class Ring implements AutoCloseable {
    final RingSettings settings;
    final RingStore store;
    final RingRecorder recorder;
    /** The spill directory when the ring made it (removed at close); null when configured. */
    private final Path ownDirectory;

    Ring(RingSettings settings, boolean offline) throws IOException {
        this.settings = settings;
        Path dir = settings.directory();
        this.ownDirectory = settings.disk() > 0 && dir == null ? Files.createTempDirectory("heptap-ring-") : null;
        if (dir == null) dir = ownDirectory;
        this.store = new RingStore(
                settings.memory(), settings.disk(), dir, settings.maxAge().toNanos(), offline);
        this.recorder = new RingRecorder(store, settings.sockets(), settings.calls());
    }

    Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>(recorder.counters());
        c.putAll(store.counters());
        return c;
    }

    @Override
    public void close() {
        store.close();
        if (ownDirectory != null) {
            try (Stream<Path> files = Files.walk(ownDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory: the system cleans it eventually
            }
        }
    }
}
