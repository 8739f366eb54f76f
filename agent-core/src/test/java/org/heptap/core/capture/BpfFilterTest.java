package org.heptap.core.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

class BpfFilterTest {
    static final String SIP = "udp and portrange 5060-5090";

    @Test
    void one_range() {
        assertEquals(SIP, BpfFilter.builder().ports("5060-5090").build());
        assertEquals("udp and port 5060", BpfFilter.builder().port(5060).build());
    }

    @Test
    void several_ranges_are_one_parenthesised_alternative() {
        assertEquals(
                "udp and (portrange 5060-5090 or port 5070 or portrange 6000-6001)",
                BpfFilter.builder().ports("5060-5090, 5070 6000-6001").build());
        assertEquals(
                "udp and (port 5060 or portrange 5080-5081)",
                BpfFilter.builder().portRange(5060, 5060).portRange(5080, 5081).build());
    }

    @Test
    void transports() {
        assertEquals(
                "tcp and port 5061",
                BpfFilter.builder()
                        .transport(BpfFilter.Transport.TCP)
                        .port(5061)
                        .build());
        assertEquals(
                "(udp or tcp) and portrange 5060-5090",
                BpfFilter.builder()
                        .transport(BpfFilter.Transport.parse("all"))
                        .ports("5060-5090")
                        .build());
        assertEquals(BpfFilter.Transport.ALL, BpfFilter.Transport.parse("Both"));
        assertEquals("udp", BpfFilter.builder().build(), "no ports: the whole transport");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BpfFilter.Transport.parse("sctp"));
        assertEquals("transport must be udp, tcp or all, got 'sctp'", e.getMessage());
    }

    @Test
    void user_filter_is_anded_in_parentheses() {
        assertEquals(
                "(" + SIP + ") and (host 10.0.0.1 or host 10.0.0.2)",
                BpfFilter.builder()
                        .ports("5060-5090")
                        .userFilter(" host 10.0.0.1 or host 10.0.0.2 ")
                        .build());
        assertEquals(
                SIP, BpfFilter.builder().ports("5060-5090").userFilter("  ").build());
    }

    @Test
    void fragments_and_vlan_flags() {
        String frag = "(" + SIP + ") or (ip[6:2] & 0x1fff != 0) or (ip6[6] = 44 and (ip6[42:2] & 0xfff9 != 0))";
        assertEquals(
                frag,
                BpfFilter.builder().ports("5060-5090").admitFragments(true).build());
        assertEquals(
                "(" + SIP + ") or (vlan and ((" + SIP + ") or (vlan and (" + SIP + "))))",
                BpfFilter.builder().ports("5060-5090").admitVlan(true).build());
        String all = BpfFilter.builder()
                .ports("5060-5090")
                .userFilter("not host 10.9.9.9")
                .admitFragments(true)
                .admitVlan(true)
                .build();
        String core = "(" + frag + ") and (not host 10.9.9.9)";
        assertEquals("(" + core + ") or (vlan and ((" + core + ") or (vlan and (" + core + "))))", all);
    }

    @Test
    void bad_ports_are_explained() {
        for (String bad : new String[] {"5090-5060", "0", "70000", "50x0", "5060-", ""}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> BpfFilter.builder().ports(bad), bad);
            assertFalse(e.getMessage().isBlank());
        }
        assertEquals(
                "invalid port range 5090-5060 (ports are 1-65535, low end first)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> BpfFilter.builder().ports("5090-5060"))
                        .getMessage());
        assertEquals(
                "invalid port or range '50x0' in '5060,50x0' (expected e.g. 8080 or 8000-8090)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> BpfFilter.builder().ports("5060,50x0"))
                        .getMessage());
    }

    static Stream<String> generated() {
        return Stream.of(
                BpfFilter.builder().ports("5060-5090").build(),
                BpfFilter.builder()
                        .ports("5060-5090,5070,6000")
                        .transport(BpfFilter.Transport.ALL)
                        .build(),
                BpfFilter.builder().transport(BpfFilter.Transport.TCP).build(),
                BpfFilter.builder()
                        .ports("5060")
                        .userFilter("host 192.0.2.1 and not net 10.0.0.0/8")
                        .build(),
                BpfFilter.builder().ports("5060-5090").admitFragments(true).build(),
                BpfFilter.builder().ports("5060-5090").admitVlan(true).build(),
                BpfFilter.builder()
                        .ports("5060-5090,8000-30000")
                        .transport(BpfFilter.Transport.ALL)
                        .userFilter("len >= 64")
                        .admitFragments(true)
                        .admitVlan(true)
                        .build());
    }

    @ParameterizedTest
    @MethodSource("generated")
    void every_generated_filter_compiles_for_ethernet_and_cooked_captures(String expr) {
        assertEquals(Optional.empty(), BpfFilter.compileError(expr, LinkTypes.ETHERNET), expr);
        if (!expr.contains("vlan")) {
            assertEquals(Optional.empty(), BpfFilter.compileError(expr, LinkTypes.LINUX_SLL), expr);
            assertEquals(Optional.empty(), BpfFilter.compileError(expr, LinkTypes.RAW), expr);
        }
    }

    @Test
    void a_bad_user_filter_reports_libpcaps_message() {
        String expr = BpfFilter.builder().ports("5060").userFilter("host and").build();
        Optional<String> err = BpfFilter.compileError(expr, LinkTypes.ETHERNET);
        assertTrue(err.isPresent());
        assertTrue(err.get().contains("syntax error"), err.get());
        assertFalse(err.get().startsWith("Error occurred"), err.get());
    }

    // ------------------------------------------------------------------ the filters do what they say

    /** How many frames of a corpus capture pass {@code expr} (libpcap's own filter machine). */
    static int passing(String capture, String expr) throws Exception {
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 262144);
                PcapFileSource src = PcapFileSource.open(TestCorpus.file(capture))) {
            BpfProgram prog =
                    dead.compileFilter(expr, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            try {
                Frame f = new Frame();
                int n = 0;
                while (src.next(f) == PacketSource.PACKET) {
                    if (prog.applyFilter(
                            Arrays.copyOfRange(f.data, f.offset, f.offset + f.length), f.wireLength, f.length)) n++;
                }
                return n;
            } finally {
                prog.free();
            }
        }
    }

    @Test
    void vlan_flag_admits_single_and_double_tagged_sip() throws Exception {
        String plain = BpfFilter.builder().ports("5060-5090").build();
        String tagged = BpfFilter.builder().ports("5060-5090").admitVlan(true).build();
        for (String capture : List.of("sip-vlan.pcap", "sip-qinq.pcap")) {
            assertEquals(0, passing(capture, plain), capture);
            assertEquals(140, passing(capture, tagged), capture);
        }
        assertEquals(140, passing("sip-udp-v4.pcap", tagged));
    }

    @Test
    void fragment_flag_admits_every_fragment() throws Exception {
        String plain = BpfFilter.builder().port(5060).build();
        String frag = BpfFilter.builder().port(5060).admitFragments(true).build();
        // IPv4: the first fragment carries the UDP header, the later ones do not
        assertEquals(8, passing("sip-ipv4-frag.pcap", plain));
        assertEquals(14, passing("sip-ipv4-frag.pcap", frag));
        // IPv6: libpcap's port test cannot see past the fragment header, even in the first one
        assertEquals(6, passing("sip-ipv6-frag.pcap", plain));
        assertEquals(14, passing("sip-ipv6-frag.pcap", frag));
    }

    @Test
    void invalid_filter_on_a_handle_names_the_device_and_reason_and_the_filter_apart() throws IOException {
        try (PcapHandle h = Pcaps.openOffline(TestCorpus.file("sip-udp-v4.pcap").toString())) {
            CaptureException e =
                    assertThrows(CaptureException.class, () -> LivePcapSource.applyFilter(h, "udp porrt 5060", "lo"));
            assertEquals(CaptureException.Reason.BAD_FILTER, e.reason());
            assertEquals(
                    "cannot capture on \"lo\": libpcap refused the capture filter: can't parse filter expression: "
                            + "syntax error (link type 1 (Ethernet))",
                    e.getMessage());
            assertEquals("the refused filter on \"lo\": udp porrt 5060", e.detail());
        } catch (org.pcap4j.core.PcapNativeException e) {
            throw new IOException(e);
        }
    }

    @Test
    void a_long_refused_filter_still_gives_a_short_message_and_the_filter_apart() throws IOException {
        String vlan = BpfFilter.builder()
                .ports("5060-5090")
                .transport(BpfFilter.Transport.ALL)
                .admitFragments(true)
                .admitTunnels(true)
                .admitVlan(true)
                .build();
        assertTrue(vlan.length() > 500, "the shipped sip socket's filter is long: " + vlan.length());
        try (PcapHandle h = Pcaps.openDead(DataLinkType.LINUX_SLL, 65535)) {
            CaptureException e = assertThrows(CaptureException.class, () -> LivePcapSource.applyFilter(h, vlan, "any"));
            assertEquals(
                    "cannot capture on \"any\": libpcap refused the capture filter: no VLAN support for "
                            + "Linux cooked v1 (link type 113 (Linux SLL))",
                    e.getMessage());
            assertEquals("the refused filter on \"any\": " + vlan, e.detail());
        } catch (org.pcap4j.core.PcapNativeException e) {
            throw new IOException(e);
        }
    }

    @Test
    void vlan_clauses_only_for_links_that_carry_tags() {
        BpfFilter.Builder b = BpfFilter.builder()
                .ports("5060-5090")
                .transport(BpfFilter.Transport.ALL)
                .admitFragments(true)
                .admitTunnels(true)
                .admitVlan(true);
        LinkFilter perLink = b.buildPerLinkType();
        assertEquals(b.build(), perLink.forLinkType(LinkTypes.ETHERNET));
        for (int link : new int[] {LinkTypes.LINUX_SLL, LinkTypes.LINUX_SLL2, LinkTypes.RAW_BSD, LinkTypes.NULL}) {
            String expr = perLink.forLinkType(link);
            assertFalse(expr.contains("vlan"), LinkTypes.describe(link) + ": " + expr);
            assertEquals(Optional.empty(), BpfFilter.compileError(expr, link), LinkTypes.describe(link) + ": " + expr);
        }
        assertEquals(
                Optional.empty(), BpfFilter.compileError(perLink.forLinkType(LinkTypes.ETHERNET), LinkTypes.ETHERNET));
        assertEquals(
                LinkFilter.of("udp"), BpfFilter.builder().buildPerLinkType(), "nothing to leave out without admitVlan");
    }

    @Test
    void a_module_clause_compiles_and_is_anded_with_the_ports() {
        String shape = "udp and udp[8] & 0xc0 = 0x80 and udp[9] >= 200 and udp[9] <= 207";
        String expr = BpfFilter.builder()
                .portRange(1024, 65535)
                .clause(shape)
                .admitVlan(true)
                .build();
        assertTrue(expr.contains("and (" + shape + ")"), expr);
        assertEquals(Optional.empty(), BpfFilter.compileError(expr, LinkTypes.ETHERNET), expr);
        String plain = BpfFilter.builder().portRange(1024, 65535).clause(shape).build();
        assertEquals(Optional.empty(), BpfFilter.compileError(plain, LinkTypes.LINUX_SLL), plain);
    }
}
