package org.heptap.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.heptap.core.message.Message;

/**
 * Turns a message into the bytes a transport puts on the wire for it: a HEP packet, or a JSON
 * document. The transports' queues, batching, reconnects and counters do not care which.
 */
public interface MessageEncoder extends AutoCloseable {
    /** One encoded record in a buffer the caller owns, or null when it would exceed the encoder's limit. */
    ByteBuf encode(Message m, ByteBufAllocator alloc);

    /** About how long {@link #encode} would make the record, for the "too large" log line. */
    long encodedLength(Message m);

    /** The largest record this encoder makes. */
    int maxLength();

    /** The payload alone ({@code send_hep_raw}), or null when it exceeds the limit. */
    default ByteBuf encodeRaw(Message m, ByteBufAllocator alloc) {
        int n = m.payloadLength();
        if (n > maxLength()) return null;
        ByteBuf buf = alloc.ioBuffer(n);
        DirectCopy.writeBytes(buf, m.payload(), m.payloadOffset(), n);
        return buf;
    }

    /**
     * A note for the log about a large message this encoder sends in an unusual way (HEP3: its
     * payload compressed to fit 65535 bytes), or null. Asked only for payloads over 60000 bytes.
     */
    default String largeRecordNote(Message m) {
        return null;
    }

    @Override
    void close();
}
