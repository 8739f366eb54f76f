package org.heptap.transport;

import org.heptap.core.message.Message;

/**
 * What a transport's collectors receive for each message: HEP (type: hep profiles) or a JSON
 * document (type: json), defined by the module that knows the format. The UDP and stream senders
 * own the queues, connections and counters and take their encoders from here.
 */
public interface WireFormat {
    /**
     * A new encoder. {@code maxLength} is the largest record the carrier takes (a UDP datagram);
     * {@code stream} is true over TCP/TLS, where records must delimit themselves.
     */
    MessageEncoder newEncoder(int maxLength, boolean stream);

    /** True when one encoder may serve every pipeline thread at once (it keeps no per-packet state). */
    boolean sharedEncoder();

    /** The start-up log line for one collector; {@code where} is e.g. {@code udp 10.0.0.1:9060}. */
    String describe(String where);

    /**
     * How records carry their own length, so a stream collector may spool them to disk and find
     * them again; null when they do not (then a profile has no spool).
     */
    RecordFraming framing();

    /** True when records carry their own length (see {@link #framing()}). */
    default boolean selfDelimiting() {
        return framing() != null;
    }

    /** Names a message in a rare log line (a record too large to send), e.g. {@code Call-ID abc}. */
    String nameForLog(Message message);
}
