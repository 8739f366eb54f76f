package org.heptap.sip;

/**
 * Outcome of {@link SipParser#parse}. Bad input is a result the caller counts, never an exception.
 */
public enum SipStatus {
    /** A SIP request or response with a Call-ID. */
    OK,
    /** Does not start like a SIP message (garbage, keep-alive CRLFs, other protocols). */
    NOT_SIP,
    /** Complete SIP headers without a usable Call-ID. */
    NO_CALL_ID,
    /** The data ends before the start line or the headers do, and no Call-ID was seen. */
    TRUNCATED,
    /** A start line that claims to be SIP but is not well formed (e.g. status code not 3 digits). */
    MALFORMED
}
