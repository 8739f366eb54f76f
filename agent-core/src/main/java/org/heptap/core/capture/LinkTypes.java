package org.heptap.core.capture;

/**
 * The libpcap LINKTYPE values heptap knows by name. A capture source stores the value in
 * {@link Frame#linkType}; the decoder dispatches on it.
 */
public final class LinkTypes {
    private LinkTypes() {}

    /** BSD loopback: 4-byte address family in the byte order of the capturing host. */
    public static final int NULL = 0;

    public static final int ETHERNET = 1;
    /** DLT_RAW as most BSDs and Linux number it in live captures (files should say 101). */
    public static final int RAW_BSD = 12;
    /** DLT_RAW as OpenBSD numbers it. */
    public static final int RAW_OPENBSD = 14;

    public static final int RAW = 101;
    /** OpenBSD loopback: 4-byte address family, network byte order. */
    public static final int LOOP = 108;

    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    /**
     * Whether libpcap's {@code vlan} keyword compiles for this link type: only Ethernet (libpcap
     * refuses it elsewhere). Linux filters the cooked capture of {@code any} after it has taken
     * the tag off, so tagged traffic passes the untagged clauses there (libpcap puts the tag back
     * into the frame it hands over, and the decoder skips it).
     */
    public static boolean carriesVlanTags(int linkType) {
        return linkType == ETHERNET;
    }

    /** Short name for logs, e.g. {@code 113 (Linux SLL)}. */
    public static String describe(int linkType) {
        String name = switch (linkType) {
            case NULL -> "BSD loopback";
            case ETHERNET -> "Ethernet";
            case RAW_BSD, RAW_OPENBSD, RAW -> "raw IP";
            case LOOP -> "OpenBSD loopback";
            case LINUX_SLL -> "Linux SLL";
            case IPV4 -> "raw IPv4";
            case IPV6 -> "raw IPv6";
            case LINUX_SLL2 -> "Linux SLL2";
            default -> "unsupported";
        };
        return linkType + " (" + name + ")";
    }
}
