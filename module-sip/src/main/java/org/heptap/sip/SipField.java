package org.heptap.sip;

/**
 * The slices {@link SipParser} extracts into a {@link SipMessage}. Each is an offset/length into
 * the parsed buffer; an absent field has length 0. Values are trimmed of surrounding whitespace.
 */
public enum SipField {
    /** The whole first line without its line end. */
    START_LINE,
    /** Request method; absent for responses. */
    METHOD,
    /** Request-URI; absent for responses. */
    REQUEST_URI,
    /** {@code SIP/2.0} of either kind of start line. */
    VERSION,
    /** Reason phrase of a response (may be absent: it is optional here). */
    REASON,
    CALL_ID,
    /** The whole CSeq value, e.g. {@code 1 INVITE}. */
    CSEQ,
    CSEQ_METHOD,
    /** The whole From value. */
    FROM,
    /** The URI of From, without angle brackets. */
    FROM_URI,
    /** User part of the From URI (user of sip:/sips:, number of tel:). */
    FROM_USER,
    /** Display name of From, without quotes. */
    FROM_DISPLAY,
    FROM_TAG,
    TO,
    TO_URI,
    TO_USER,
    TO_DISPLAY,
    TO_TAG,
    /** The value of the first Via header. */
    VIA,
    /** The branch parameter of the first Via. */
    VIA_BRANCH,
    CONTACT,
    USER_AGENT,
    SERVER,
    CONTENT_TYPE,
    P_ASSERTED_IDENTITY,
    /** User part of the first P-Asserted-Identity URI (user of sip:/sips:, number of tel:). */
    P_ASSERTED_USER,
    P_PREFERRED_IDENTITY,
    /** The header named by the module's {@code custom-header} setting. */
    CUSTOM,
    /** The body: after the blank line, at most Content-Length bytes. */
    BODY,
    /** The {@code CallID:} line of an {@code application/vq-rtcpxr} body (RFC 6035). */
    RTCPXR_CALL_ID;

    static final int COUNT = values().length;
}
