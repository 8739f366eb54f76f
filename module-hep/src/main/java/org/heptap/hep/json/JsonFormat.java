package org.heptap.hep.json;

import org.heptap.core.message.Message;
import org.heptap.hep.transport.CallIdForLog;
import org.heptap.transport.MessageEncoder;
import org.heptap.transport.RecordFraming;
import org.heptap.transport.WireFormat;

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
        return "json " + where + " capt_id " + settings.captureId()
                + (settings.payloadSend() ? "" : " without payload");
    }

    /** Lines are not self-delimiting the way a spool needs: it could not find the records again. */
    @Override
    public RecordFraming framing() {
        return null;
    }

    @Override
    public String nameForLog(Message message) {
        return "Call-ID " + CallIdForLog.of(message);
    }
}
