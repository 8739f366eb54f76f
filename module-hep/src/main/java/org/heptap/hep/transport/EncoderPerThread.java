package org.heptap.hep.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.heptap.hep.codec.HepEncoder;
import org.heptap.hep.codec.HepSettings;

/**
 * The HEP encoder a capture thread uses for one transport. Without compression the encoder has no
 * state and one instance serves every thread; with compression each thread gets its own, because
 * a Deflater cannot be shared, and {@link #close()} releases them all.
 */
final class EncoderPerThread {
    private final HepEncoder shared;
    private final ThreadLocal<HepEncoder> perThread;
    private final Queue<HepEncoder> made = new ConcurrentLinkedQueue<>();

    EncoderPerThread(HepSettings hep, Supplier<HepEncoder> factory) {
        if (hep.compress()) {
            this.shared = null;
            this.perThread = ThreadLocal.withInitial(() -> {
                HepEncoder e = factory.get();
                made.add(e);
                return e;
            });
        } else {
            this.shared = factory.get();
            this.perThread = null;
        }
    }

    HepEncoder get() {
        return shared != null ? shared : perThread.get();
    }

    void close() {
        for (HepEncoder e; (e = made.poll()) != null; ) e.close();
    }
}
