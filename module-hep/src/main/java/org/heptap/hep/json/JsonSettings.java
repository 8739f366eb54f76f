package org.heptap.hep.json;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.heptap.core.spi.MessageFieldWriter;

/**
 * What a {@code type: json} profile puts in every document, and its document counter
 * ({@code packet_id}), shared by the profile's collectors and threads.
 */
final class JsonSettings {
    private final long captureId;
    private final boolean payloadSend;
    private final List<MessageFieldWriter> fieldWriters;
    private final AtomicLong packets = new AtomicLong();
    private final LongAdder notUtf8 = new LongAdder();

    JsonSettings(long captureId, boolean payloadSend, List<MessageFieldWriter> fieldWriters) {
        this.captureId = captureId;
        this.payloadSend = payloadSend;
        this.fieldWriters = List.copyOf(fieldWriters);
    }

    long captureId() {
        return captureId;
    }

    boolean payloadSend() {
        return payloadSend;
    }

    List<MessageFieldWriter> fieldWriters() {
        return fieldWriters;
    }

    /** Counts a document whose payload was not UTF-8 (sent as text with U+FFFD and as payload_base64). */
    void countNotUtf8() {
        notUtf8.increment();
    }

    long notUtf8() {
        return notUtf8.sum();
    }

    /** 1 for the first document of the profile, then 2, 3, ... */
    long nextPacketId() {
        return packets.incrementAndGet();
    }
}
