package org.heptap.ring;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A running ring: its store and the recorder that feeds it. */
final class Ring implements AutoCloseable {
    final RingSettings settings;
    final RingStore store;
    final RingRecorder recorder;

    Ring(RingSettings settings, boolean offline) throws IOException {
        this.settings = settings;
        this.store = new RingStore(
                settings.memory(),
                settings.disk(),
                settings.directory(),
                settings.maxAge().toNanos(),
                offline);
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
    }
}
