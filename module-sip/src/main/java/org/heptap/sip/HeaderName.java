package org.heptap.sip;

/**
 * A header name resolved once (at configure or bind time) for repeated, allocation-free
 * look-ups in a {@link SipMessage}'s header table. A known name also matches its compact form
 * ({@code Call-ID} matches {@code i:}); any other name is compared case-insensitively.
 */
public final class HeaderName {
    private final String name;
    private final SipHeader known;
    private final byte[] lower;
    private final long lengthBit;

    private HeaderName(String name, SipHeader known, byte[] lower) {
        this.name = name;
        this.known = known;
        this.lower = lower;
        this.lengthBit = SipMessage.lengthBit(lower.length);
    }

    /**
     * Resolves a header name.
     *
     * @throws IllegalArgumentException if {@code name} is not a non-empty RFC 3261 token
     */
    public static HeaderName of(String name) {
        if (!isValid(name)) throw new IllegalArgumentException("not a header name: " + name);
        return new HeaderName(name, SipHeader.lookup(name), Ascii.lowerBytes(name));
    }

    /** True for a non-empty RFC 3261 token (what a header name may consist of). */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7e || !Ascii.isToken((byte) c)) return false;
        }
        return true;
    }

    public String name() {
        return name;
    }

    /** The recognised header this name denotes, or null for other names. */
    public SipHeader known() {
        return known;
    }

    /** {@link SipMessage}'s bit for this name's length (names it does not recognise). */
    long lengthBit() {
        return lengthBit;
    }

    /** True if the header called {@code b[off..off+len)}, recognised as {@code id}, is this one. */
    boolean matches(SipHeader id, byte[] b, int off, int len) {
        if (known != null) return known == id;
        return id == null && Ascii.equalsIgnoreCase(b, off, len, lower);
    }

    @Override
    public String toString() {
        return name;
    }
}
