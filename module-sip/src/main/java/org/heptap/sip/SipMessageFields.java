package org.heptap.sip;

import org.heptap.core.message.Message;
import org.heptap.core.spi.MessageFieldWriter;

/**
 * The SIP fields of captagent's send_json documents, for a packet the plan parsed as SIP
 * ({@code parse_sip()} and friends; nothing for any other packet): {@code sip_callid},
 * {@code sip_method} (requests) or {@code sip_response} (the status code, a number),
 * {@code sip_cseq} (the CSeq method, as captagent), {@code sip_from_uri}, {@code sip_to_uri},
 * {@code sip_request_uri}, {@code sip_pai_user}, and {@code sip_sdp: 1} when the body holds SDP.
 * Absent headers give absent keys. Values are slices of the parsed payload, written without
 * making Strings.
 */
final class SipMessageFields implements MessageFieldWriter {
    @Override
    public void write(Message message, Fields fields) {
        SipMessage sip = SipSlot.parsed(message);
        if (sip == null) return;
        slice(sip, SipField.CALL_ID, "sip_callid", fields);
        if (sip.isRequest()) {
            slice(sip, SipField.METHOD, "sip_method", fields);
        } else if (sip.statusCode() > 0) {
            fields.number("sip_response", sip.statusCode());
        }
        slice(sip, SipField.CSEQ_METHOD, "sip_cseq", fields);
        slice(sip, SipField.FROM_URI, "sip_from_uri", fields);
        slice(sip, SipField.TO_URI, "sip_to_uri", fields);
        slice(sip, SipField.REQUEST_URI, "sip_request_uri", fields);
        slice(sip, SipField.P_ASSERTED_USER, "sip_pai_user", fields);
        if (sip.hasSdp()) fields.number("sip_sdp", 1);
    }

    private static void slice(SipMessage sip, SipField f, String key, Fields fields) {
        if (sip.has(f)) fields.text(key, sip.buffer(), sip.offset(f), sip.length(f));
    }
}
