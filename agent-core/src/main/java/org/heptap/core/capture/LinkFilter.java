package org.heptap.core.capture;

/**
 * A socket's capture filter in the two forms a live capture may need, chosen once the device is
 * open and its link type known: libpcap compiles {@code vlan} only for Ethernet links ("no VLAN
 * support for Linux cooked v1" on {@code any}), so other links get the filter without its VLAN
 * clauses. Example: {@code BpfFilter.builder().ports("8000").admitVlan(true).buildPerLinkType()}.
 */
public record LinkFilter(String ethernet, String otherLinks) {
    public static final LinkFilter NONE = of("");

    public LinkFilter {
        ethernet = ethernet == null ? "" : ethernet;
        otherLinks = otherLinks == null ? "" : otherLinks;
    }

    /** The same expression on every link type (the operator's own filter, a test's). */
    public static LinkFilter of(String expression) {
        return new LinkFilter(expression, expression);
    }

    /** The expression to compile on a capture of {@code linkType}; empty for no filter. */
    public String forLinkType(int linkType) {
        return LinkTypes.carriesVlanTags(linkType) ? ethernet : otherLinks;
    }

    public boolean isEmpty() {
        return ethernet.isEmpty() && otherLinks.isEmpty();
    }
}
