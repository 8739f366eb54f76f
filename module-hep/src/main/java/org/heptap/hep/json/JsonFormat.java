package org.heptap.hep.json;

import org.heptap.hep.codec.MessageEncoder;
import org.heptap.hep.transport.WireFormat;

/** JSON documents as the wire format of a collector: one per datagram, one per line on a stream. */
final class JsonFormat implements WireFormat {
    private final JsonSettings settings;

    JsonFormat(JsonSettings settings) {
        this.settings = settings;
    }

    @Override
    public MessageEncoder newEncoder(int maxLength, boolean stream) {
        return new JsonEncoder(settings, maxLength, stream);
    }

    /** A generator and its buffers belong to one thread. */
    @Override
    public boolean sharedEncoder() {
        return false;
    }

    @Override
    public String describe(String where) {
        return "json " + where + " capt_id " + settings.captureId() + (settings.payloadSend() ? "" : " without payload");
    }

    /** Lines are not: a spool could not find the records again. */
    @Override
    public boolean selfDelimiting() {
        return false;
    }
}
