package org.heptap.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The encoder a capture thread uses for one transport. When the format's encoder keeps no state
 * (HEP without compression) one instance serves every thread; otherwise (a Deflater, a JSON
 * generator and its buffer) each thread gets its own, and {@link #close()} releases them all.
 */
final class EncoderPerThread {
    private final MessageEncoder shared;
    private final ThreadLocal<MessageEncoder> perThread;
    private final Queue<MessageEncoder> made = new ConcurrentLinkedQueue<>();

    EncoderPerThread(WireFormat format, int maxLength, boolean stream) {
        if (format.sharedEncoder()) {
            this.shared = format.newEncoder(maxLength, stream);
            this.perThread = null;
        } else {
            this.shared = null;
            this.perThread = ThreadLocal.withInitial(() -> {
                MessageEncoder e = format.newEncoder(maxLength, stream);
                made.add(e);
                return e;
            });
        }
    }

    MessageEncoder get() {
        return shared != null ? shared : perThread.get();
    }

    void close() {
        for (MessageEncoder e; (e = made.poll()) != null; ) e.close();
        if (shared != null) shared.close();
    }
}
