package org.heptap.hep.transport;

import org.heptap.hep.codec.HepEncoder;
import org.heptap.hep.codec.HepSettings;
import org.heptap.hep.codec.MessageEncoder;

/**
 * What a transport's collectors receive for each message: HEP (type: hep profiles) or a JSON
 * document (type: json). The UDP and stream transports own the queues, connections and counters
 * and take their encoders from here.
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

    /** True when records carry their own length, so a stream collector may spool them to disk. */
    boolean selfDelimiting();

    /** HEP with these settings. */
    static WireFormat hep(HepSettings hep) {
        return new WireFormat() {
            @Override
            public MessageEncoder newEncoder(int maxLength, boolean stream) {
                return new HepEncoder(hep, maxLength, stream);
            }

            @Override
            public boolean sharedEncoder() {
                return !hep.compress(); // a Deflater cannot be shared
            }

            @Override
            public String describe(String where) {
                StringBuilder sb = new StringBuilder("hep v").append(hep.version()).append(' ').append(where);
                if (hep.version() > 1) sb.append(" capture-id ").append(hep.version() == 2 ? hep.captureId() & 0xffff : hep.captureId());
                if (hep.nodeName() != null && !hep.nodeName().isEmpty() && hep.version() == 3) sb.append(" node-name ").append(hep.nodeName());
                if (hep.compress()) sb.append(" compressed");
                return sb.toString();
            }

            @Override
            public boolean selfDelimiting() {
                return true;
            }
        };
    }
}
