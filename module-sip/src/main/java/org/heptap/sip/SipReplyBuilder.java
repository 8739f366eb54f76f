package org.heptap.sip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Builds the stateless response captagent's {@code send_reply()} sends back to a reporter
 * (capture-plan-language.md §4.1), from a parsed request:
 * <pre>
 * SIP/2.0 &lt;code&gt; &lt;reason&gt;
 * Via: ...            (every Via of the request, in order)
 * From: ...
 * To: ...;tag=...     (a To-tag is added unless the request had one, or the code is 100)
 * Contact: ...        (only if the request had one)
 * Call-ID: ...
 * CSeq: ...
 * User-Agent: heptap
 * Content-Length: 0
 * </pre>
 * Differences from captagent, on purpose: all Via headers are copied (RFC 3261 §8.2.6.2 —
 * captagent copies one, which breaks replies through proxies), absent headers are left out
 * instead of sent empty, the To-tag is derived per dialog (Call-ID + From-tag, keyed with a
 * random secret) instead of one constant, and the User-Agent names heptap.
 *
 * <p>Only builds bytes; sending them is the collector socket's job.
 */
public final class SipReplyBuilder {
    public static final String DEFAULT_USER_AGENT = "heptap";

    private static final byte[] CRLF = {'\r', '\n'};

    private final byte[] userAgent;
    private final long secret;

    public SipReplyBuilder() {
        this(DEFAULT_USER_AGENT, new SecureRandom().nextLong());
    }

    /** @param secret key for To-tags; fixed only in tests */
    public SipReplyBuilder(String userAgent, long secret) {
        this.userAgent = userAgent.getBytes(StandardCharsets.UTF_8);
        this.secret = secret;
    }

    /** True if {@code reason} can go on a status line (printable, no line breaks). */
    public static boolean isValidReason(String reason) {
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (c == '\r' || c == '\n' || (c < 0x20 && c != '\t')) return false;
        }
        return true;
    }

    /**
     * The response bytes, or null if {@code request} is not a successfully parsed request.
     *
     * @throws IllegalArgumentException for a code outside 100..699 or a reason with line breaks
     */
    public byte[] build(SipMessage request, int code, String reason) {
        if (code < 100 || code > 699) throw new IllegalArgumentException("status code " + code);
        if (!isValidReason(reason)) throw new IllegalArgumentException("reason contains control characters");
        if (!request.isOk() || !request.isRequest()) return null;
        byte[] b = request.buffer();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + request.length() / 2);
        ascii(out, "SIP/2.0 " + code + (reason.isEmpty() ? "" : " "));
        out.writeBytes(reason.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(CRLF);
        int vias = 0;
        for (int i = 0; i < request.headerCount(); i++) {
            if (request.headerId(i) == SipHeader.VIA) {
                header(out, "Via", b, request.headerValueOffset(i), request.headerValueLength(i));
                vias++;
            }
        }
        if (vias == 0 && request.has(SipField.VIA)) field(out, "Via", request, SipField.VIA);
        field(out, "From", request, SipField.FROM);
        if (request.has(SipField.TO)) {
            ascii(out, "To: ");
            out.write(b, request.offset(SipField.TO), request.length(SipField.TO));
            if (!request.has(SipField.TO_TAG) && code != 100) ascii(out, ";tag=" + toTag(request));
            out.writeBytes(CRLF);
        }
        field(out, "Contact", request, SipField.CONTACT);
        field(out, "Call-ID", request, SipField.CALL_ID);
        field(out, "CSeq", request, SipField.CSEQ);
        ascii(out, "User-Agent: ");
        out.writeBytes(userAgent);
        out.writeBytes(CRLF);
        ascii(out, "Content-Length: 0\r\n\r\n");
        return out.toByteArray();
    }

    /**
     * The To-tag for the request's dialog: the same for every request with this Call-ID and
     * From-tag (so retransmissions and refreshes get the same answer), unguessable across
     * dialogs. 16 hex digits.
     */
    public String toTag(SipMessage request) {
        long h = secret ^ 0xcbf29ce484222325L;
        h = mix(h, request, SipField.CALL_ID);
        h = (h ^ 0xff) * 0x100000001b3L; // separator, so ("ab","c") and ("a","bc") differ
        h = mix(h, request, SipField.FROM_TAG);
        // splitmix64 finaliser: spreads the FNV state over all bits
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        String hex = Long.toHexString(h);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private static long mix(long h, SipMessage m, SipField f) {
        byte[] b = m.buffer();
        int o = m.offset(f);
        for (int i = 0; i < m.length(f); i++) {
            h = (h ^ (b[o + i] & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    private static void field(ByteArrayOutputStream out, String name, SipMessage m, SipField f) {
        if (m.has(f)) header(out, name, m.buffer(), m.offset(f), m.length(f));
    }

    private static void header(ByteArrayOutputStream out, String name, byte[] b, int off, int len) {
        ascii(out, name);
        ascii(out, ": ");
        out.write(b, off, len);
        out.writeBytes(CRLF);
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
