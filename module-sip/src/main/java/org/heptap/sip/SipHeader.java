package org.heptap.sip;

/**
 * Headers the parser recognises by name, with their RFC 3261 §7.3.3 (and later RFCs) compact
 * forms. Names are matched case-insensitively; a compact form and its long name are the same
 * header everywhere (header table, {@link HeaderName} look-ups, field extraction).
 */
public enum SipHeader {
    CALL_ID("Call-ID", 'i'),
    FROM("From", 'f'),
    TO("To", 't'),
    VIA("Via", 'v'),
    CONTACT("Contact", 'm'),
    CONTENT_LENGTH("Content-Length", 'l'),
    SUPPORTED("Supported", 'k'),
    CONTENT_TYPE("Content-Type", 'c'),
    SUBJECT("Subject", 's'),
    CONTENT_ENCODING("Content-Encoding", 'e'),
    EVENT("Event", 'o'),
    ALLOW_EVENTS("Allow-Events", 'u'),
    SESSION_EXPIRES("Session-Expires", 'x'),
    REFER_TO("Refer-To", 'r'),
    REFERRED_BY("Referred-By", 'b'),
    IDENTITY("Identity", 'y'),
    ACCEPT_CONTACT("Accept-Contact", 'a'),
    REJECT_CONTACT("Reject-Contact", 'j'),
    REQUEST_DISPOSITION("Request-Disposition", 'd'),
    IDENTITY_INFO("Identity-Info", 'n'),
    CSEQ("CSeq", (char) 0),
    USER_AGENT("User-Agent", (char) 0),
    SERVER("Server", (char) 0),
    P_ASSERTED_IDENTITY("P-Asserted-Identity", (char) 0),
    P_PREFERRED_IDENTITY("P-Preferred-Identity", (char) 0);

    private static final SipHeader[] COMPACT = new SipHeader[26];
    private static final int MAX_NAME = 32;
    /** Candidates per name length, so a look-up compares against two or three names at most. */
    private static final SipHeader[][] BY_LENGTH = new SipHeader[MAX_NAME + 1][];

    private static final SipHeader[] VALUES = values();

    static {
        // SipMessage keeps which recognised headers a message has as one bit per constant of an int
        if (VALUES.length > Integer.SIZE) throw new AssertionError("more than 32 recognised headers");
        for (SipHeader h : VALUES) {
            if (h.compact != 0) COMPACT[h.compact - 'a'] = h;
        }
        for (int n = 0; n <= MAX_NAME; n++) {
            int count = 0;
            for (SipHeader h : VALUES) if (h.folded.lower.length == n) count++;
            SipHeader[] list = new SipHeader[count];
            int i = 0;
            for (SipHeader h : VALUES) if (h.folded.lower.length == n) list[i++] = h;
            BY_LENGTH[n] = list;
        }
    }

    private final String canonical;
    private final char compact;
    private final Ascii.FoldedName folded;

    SipHeader(String canonical, char compact) {
        this.canonical = canonical;
        this.compact = compact;
        this.folded = new Ascii.FoldedName(Ascii.lowerBytes(canonical));
    }

    /** The usual spelling, e.g. {@code Call-ID}. */
    public String canonicalName() {
        return canonical;
    }

    /** The compact form's letter, or 0 if the header has none. */
    public char compactForm() {
        return compact;
    }

    /** The header named by {@code b[off..off+len)} (long or compact form, any case), or null. */
    public static SipHeader lookup(byte[] b, int off, int len) {
        if (len == 1) {
            int c = Ascii.lower(b[off]);
            return c >= 'a' && c <= 'z' ? COMPACT[c - 'a'] : null;
        }
        if (len > MAX_NAME) return null;
        for (SipHeader h : BY_LENGTH[len]) {
            if (h.folded.matches(b, off, len)) return h;
        }
        return null;
    }

    /** The header named {@code name} (long or compact form, any case), or null. */
    public static SipHeader lookup(String name) {
        byte[] b = new byte[name.length()];
        for (int i = 0; i < b.length; i++) {
            char ch = name.charAt(i);
            if (ch > 0x7e) return null;
            b[i] = (byte) ch;
        }
        return lookup(b, 0, b.length);
    }
}
