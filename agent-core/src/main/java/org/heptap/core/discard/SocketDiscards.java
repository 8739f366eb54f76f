package org.heptap.core.discard;

import java.util.List;
import org.heptap.core.spi.MessageFilter;

/**
 * What a socket drops before its plan without one being written: messages from or to
 * {@link #ips()} (before TCP reassembly, counted as {@code discarded-ip}) and the module discard
 * lists (after framing, each counted under its own name).
 */
public record SocketDiscards(IpPrefixList ips, List<Rule> rules) {
    public static final SocketDiscards NONE = new SocketDiscards(IpPrefixList.EMPTY, List.of());

    /** One compiled module list: its counter name and its filter. */
    public record Rule(String counter, MessageFilter filter) {}
}
