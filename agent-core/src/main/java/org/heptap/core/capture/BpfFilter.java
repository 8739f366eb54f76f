package org.heptap.core.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Builds the libpcap filter expression of a capture socket from its settings: transport, port
 * ranges, the operator's own filter, and switches that let through what the port test alone
 * would drop (IP fragments after the first, VLAN-tagged frames).
 *
 * <p>libpcap gives {@code and} and {@code or} the same precedence, so every part is
 * parenthesised. Example: {@code BpfFilter.builder().ports("8000-8090").build()} is
 * {@code udp and portrange 8000-8090}.
 */
public final class BpfFilter {
    private BpfFilter() {}

    public enum Transport {
        UDP("udp"),
        TCP("tcp"),
        ALL("(udp or tcp)");

        private final String bpf;

        Transport(String bpf) {
            this.bpf = bpf;
        }

        /** {@code udp}, {@code tcp}, {@code all} or {@code both} (case-insensitive). */
        public static Transport parse(String s) {
            String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "udp" -> UDP;
                case "tcp" -> TCP;
                case "all", "both" -> ALL;
                default -> throw new IllegalArgumentException("transport must be udp, tcp or all, got '" + s + "'");
            };
        }
    }

    /** IPv4 fragments other than the first: they carry no UDP header, so no port to match. */
    static final String IPV4_LATER_FRAGMENTS = "(ip[6:2] & 0x1fff != 0)";
    /**
     * IPv6 with a fragment header right after the fixed header, except atomic fragments. All of
     * them, the first too: libpcap's {@code udp}/{@code port} look at the fixed header's next
     * header only, which is 44 here, so even the first fragment fails the port test.
     */
    static final String IPV6_FRAGMENTS = "(ip6[6] = 44 and (ip6[42:2] & 0xfff9 != 0))";

    /** Tunnel protocols that may carry the ports' traffic (see {@link Builder#admitTunnels}). */
    static final String TUNNELS =
            "(ip proto 4 or ip proto 41 or ip proto 47 or ip6 proto 4 or ip6 proto 41 or ip6 proto 47"
                    + " or udp dst port 4789 or udp dst port 7932)";

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<int[]> ranges = new ArrayList<>();
        private Transport transport = Transport.UDP;
        private String userFilter = "";
        private boolean admitFragments;
        private boolean admitVlan;
        private final List<String> clauses = new ArrayList<>();
        private boolean admitTunnels;

        private Builder() {}

        /** Adds one port range, both ends included ({@code lo == hi} for a single port). */
        public Builder portRange(int lo, int hi) {
            if (lo < 1 || hi > 65535 || lo > hi) {
                throw new IllegalArgumentException(
                        "invalid port range " + lo + "-" + hi + " (ports are 1-65535, low end first)");
            }
            ranges.add(new int[] {lo, hi});
            return this;
        }

        public Builder port(int port) {
            return portRange(port, port);
        }

        /** Adds ranges written as {@code 8000-8090}, {@code 8000}, or several separated by commas or spaces. */
        public Builder ports(String spec) {
            if (spec == null || spec.isBlank()) throw new IllegalArgumentException("empty port list");
            for (String part : spec.trim().split("[,\\s]+")) {
                int dash = part.indexOf('-');
                try {
                    if (dash < 0) {
                        port(Integer.parseInt(part));
                    } else {
                        portRange(
                                Integer.parseInt(part.substring(0, dash).trim()),
                                Integer.parseInt(part.substring(dash + 1).trim()));
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "invalid port or range '" + part + "' in '" + spec + "' (expected e.g. 8080 or 8000-8090)");
                }
            }
            return this;
        }

        public Builder transport(Transport t) {
            transport = t;
            return this;
        }

        /** The operator's own expression, ANDed with the rest; null or blank for none. */
        public Builder userFilter(String bpf) {
            userFilter = bpf == null ? "" : bpf.trim();
            return this;
        }

        /** Also pass IPv4 fragments after the first and IPv6 fragments, for reassembly. */
        public Builder admitFragments(boolean on) {
            admitFragments = on;
            return this;
        }

        /**
         * Also pass tunnels whose inner packet may be on the ports: IP-in-IP (IPv4 and IPv6, either way
         * round), GRE (with ERSPAN), VXLAN (UDP 4789) and HP ERM (UDP 7932). Their inner ports are
         * checked after decapsulation.
         */
        public Builder admitTunnels(boolean on) {
            admitTunnels = on;
            return this;
        }

        /**
         * Also pass the same traffic under one or two VLAN tags (802.1Q, QinQ). libpcap's
         * {@code vlan} moves all later offsets by 4 bytes, so the tagged variant must come after
         * the untagged one, and the doubly tagged one nested inside the singly tagged one.
         */
        public Builder admitVlan(boolean on) {
            admitVlan = on;
            return this;
        }

        /**
         * A module's clause (a {@link org.heptap.core.spi.CaptureFilterClause}), and-ed with the
         * transport and ports: e.g. only datagrams whose first payload bytes have its protocol's
         * shape, when its ports are learnt at run time and the filter cannot name them.
         */
        public Builder clause(String bpf) {
            clauses.add(bpf);
            return this;
        }

        /** The expression for an Ethernet link: with the VLAN clauses when {@link #admitVlan} is on. */
        public String build() {
            return build(admitVlan);
        }

        /**
         * The expression for each link type a live device may turn out to have: the VLAN clauses
         * go only to Ethernet, whose libpcap alone can compile them.
         */
        public LinkFilter buildPerLinkType() {
            return new LinkFilter(build(admitVlan), build(false));
        }

        private String build(boolean vlan) {
            String core = transport.bpf;
            if (!ranges.isEmpty()) core += " and " + portClause();
            for (String c : clauses) core += " and (" + c + ")";
            if (admitFragments) core = "(" + core + ") or " + IPV4_LATER_FRAGMENTS + " or " + IPV6_FRAGMENTS;
            if (admitTunnels) core = "(" + core + ") or " + TUNNELS;
            if (!userFilter.isEmpty()) core = "(" + core + ") and (" + userFilter + ")";
            if (vlan) core = "(" + core + ") or (vlan and ((" + core + ") or (vlan and (" + core + "))))";
            return core;
        }

        private String portClause() {
            StringBuilder sb = new StringBuilder();
            for (int[] r : ranges) {
                if (sb.length() > 0) sb.append(" or ");
                sb.append(r[0] == r[1] ? "port " + r[0] : "portrange " + r[0] + "-" + r[1]);
            }
            return ranges.size() == 1 ? sb.toString() : "(" + sb + ")";
        }
    }

    /**
     * Compiles {@code expression} for {@code linkType} without opening a device, as a check of a
     * configuration. Returns libpcap's error message, or empty when the expression is valid.
     */
    public static Optional<String> compileError(String expression, int linkType) {
        // pcap_open_dead takes a DLT, not a file's LINKTYPE; they differ for raw IP only
        int dlt = linkType == LinkTypes.RAW ? LinkTypes.RAW_BSD : linkType;
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.getInstance(dlt), 65535)) {
            BpfProgram p =
                    dead.compileFilter(expression, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            p.free();
            return Optional.empty();
        } catch (PcapNativeException e) {
            return Optional.of(libpcapMessage(e));
        } catch (NotOpenException e) {
            return Optional.of("libpcap handle closed: " + e.getMessage());
        }
    }

    /** pcap4j prefixes libpcap's text with its own words; the operator needs only libpcap's. */
    static String libpcapMessage(PcapNativeException e) {
        String m = String.valueOf(e.getMessage());
        String prefix = "Error occurred in pcap_compile: ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
