package org.heptap.hep.transport;

import java.nio.ByteBuffer;
import org.heptap.core.message.Message;
import org.heptap.hep.codec.HepEncoder;
import org.heptap.hep.codec.HepSettings;
import org.heptap.transport.MessageEncoder;
import org.heptap.transport.RecordFraming;
import org.heptap.transport.WireFormat;

/** HEP with one profile's settings, as the wire format of its collectors. */
public final class HepWireFormat implements WireFormat {
    /** HEP3 says its length in its first 6 bytes: "HEP3", then the total length (big-endian). */
    private static final RecordFraming HEP3 = new RecordFraming() {
        @Override
        public int headerLength() {
            return 6;
        }

        @Override
        public int recordLength(ByteBuffer h) {
            if (h.get(0) != 'H' || h.get(1) != 'E' || h.get(2) != 'P' || h.get(3) != '3') return -1;
            return h.getShort(4) & 0xffff;
        }
    };

    private final HepSettings hep;

    public HepWireFormat(HepSettings hep) {
        this.hep = hep;
    }

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
        StringBuilder sb =
                new StringBuilder("hep v").append(hep.version()).append(' ').append(where);
        if (hep.version() > 1)
            sb.append(" capture-id ").append(hep.version() == 2 ? hep.captureId() & 0xffff : hep.captureId());
        if (hep.nodeName() != null && !hep.nodeName().isEmpty() && hep.version() == 3)
            sb.append(" node-name ").append(hep.nodeName());
        if (hep.compress()) sb.append(" compressed");
        return sb.toString();
    }

    /** HEP3 only: v1/v2 packets carry no length (a profile refuses them over tcp/tls). */
    @Override
    public RecordFraming framing() {
        return HEP3;
    }

    @Override
    public String nameForLog(Message message) {
        return "Call-ID " + CallIdForLog.of(message);
    }
}
