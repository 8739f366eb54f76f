package org.heptap.core.decode;

import static org.heptap.core.decode.Packets.A4;
import static org.heptap.core.decode.Packets.A6;
import static org.heptap.core.decode.Packets.B4;
import static org.heptap.core.decode.Packets.B6;
import static org.heptap.core.decode.Packets.ascii;
import static org.heptap.core.decode.Packets.authentication;
import static org.heptap.core.decode.Packets.concat;
import static org.heptap.core.decode.Packets.cut;
import static org.heptap.core.decode.Packets.ether;
import static org.heptap.core.decode.Packets.etherTagged;
import static org.heptap.core.decode.Packets.extension;
import static org.heptap.core.decode.Packets.fragment;
import static org.heptap.core.decode.Packets.fragmentHeader;
import static org.heptap.core.decode.Packets.frame;
import static org.heptap.core.decode.Packets.ipv4;
import static org.heptap.core.decode.Packets.ipv4WithOptions;
import static org.heptap.core.decode.Packets.ipv6;
import static org.heptap.core.decode.Packets.nullHeader;
import static org.heptap.core.decode.Packets.sll;
import static org.heptap.core.decode.Packets.sll2;
import static org.heptap.core.decode.Packets.tcp;
import static org.heptap.core.decode.Packets.udp;
import static org.heptap.core.decode.Packets.udpWithLength;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.LinkTypes;
import org.heptap.core.message.Message;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {
    private static final byte[] OPTIONS =
            ascii("OPTIONS sip:bob@192.0.2.20 SIP/2.0\r\nCall-ID: t@x\r\nContent-Length: 0\r\n\r\n");
    private static final int IPV4 = 0x0800;
    private static final int IPV6 = 0x86dd;

    private final PacketDecoder decoder = new PacketDecoder();
    private final Message msg = new Message();
    private int delivered;

    private DecodeResult decode(Frame f) {
        return decoder.decode(f, msg, m -> {
            assertSame(msg, m);
            delivered++;
        });
    }

    private DecodeResult decode(int linkType, byte[] bytes) {
        return decode(frame(linkType, bytes));
    }

    private void assertDelivered(Frame f, byte[] payload) {
        int before = delivered;
        assertEquals(DecodeResult.DELIVERED, decode(f));
        assertEquals(before + 1, delivered, "sink called once");
        assertSame(f.data, msg.payload(), "payload is a slice of the frame, not a copy");
        assertArrayEquals(
                payload,
                Arrays.copyOfRange(msg.payload(), msg.payloadOffset(), msg.payloadOffset() + msg.payloadLength()));
        assertEquals(f.timestampMicros, msg.timestampMicros());
        assertSame(f, msg.frame(), "the message leads back to its captured frame");
    }

    private void assertNotDelivered(DecodeResult expected, Frame f) {
        int before = delivered;
        assertEquals(expected, decode(f));
        assertEquals(before, delivered, "sink not called");
    }

    private static byte[] sipOverUdp4() {
        return ipv4(A4, B4, 17, udp(5060, 5062, OPTIONS));
    }

    private static byte[] sipOverUdp6() {
        return ipv6(A6, B6, 17, udp(5063, 5064, OPTIONS));
    }

    // ------------------------------------------------------------------ what gets delivered

    @Test
    void ethernet_ipv4_udp_fills_the_message() {
        Frame f = frame(LinkTypes.ETHERNET, ether(IPV4, sipOverUdp4()));
        assertDelivered(f, OPTIONS);
        assertEquals(4, msg.ipVersion());
        assertEquals(Message.IP_PROTO_UDP, msg.ipProtocol());
        assertEquals(A4, msg.srcIpText());
        assertEquals(B4, msg.dstIpText());
        assertEquals(5060, msg.srcPort());
        assertEquals(5062, msg.dstPort());
        assertEquals(-1, msg.vlan());
        assertEquals(Packets.LENT_AT + 14 + 20 + 8, msg.payloadOffset());
    }

    @Test
    void ethernet_ipv6_udp() {
        assertDelivered(frame(LinkTypes.ETHERNET, ether(IPV6, sipOverUdp6())), OPTIONS);
        assertEquals(6, msg.ipVersion());
        assertEquals(A6, msg.srcIpText());
        assertEquals(B6, msg.dstIpText());
        assertEquals(5063, msg.srcPort());
        assertEquals(5064, msg.dstPort());
    }

    @Test
    void ipv4_options_and_tcp_options_are_skipped() {
        byte[] ip = ipv4WithOptions(A4, B4, 6, 3, tcp(42000, 5060, 8, 3, OPTIONS));
        assertDelivered(frame(LinkTypes.ETHERNET, ether(IPV4, ip)), OPTIONS);
        assertEquals(Message.IP_PROTO_TCP, msg.ipProtocol());
        assertEquals(42000, msg.srcPort());
        assertEquals(Packets.LENT_AT + 14 + 32 + 32, msg.payloadOffset());
    }

    @Test
    void ethernet_padding_after_the_ip_packet_is_not_payload() {
        byte[] keepAlive = ascii("\r\n\r\n");
        byte[] padded = Arrays.copyOf(ether(IPV4, ipv4(A4, B4, 17, udp(5060, 5060, keepAlive))), 60);
        padded[59] = 'X';
        assertDelivered(frame(LinkTypes.ETHERNET, padded), keepAlive);
        byte[] tcpPadded = Arrays.copyOf(ether(IPV4, ipv4(A4, B4, 6, tcp(1, 2, ascii("hi")))), 64);
        assertDelivered(frame(LinkTypes.ETHERNET, tcpPadded), ascii("hi"));
    }

    @Test
    void one_8021q_tag() {
        assertDelivered(frame(LinkTypes.ETHERNET, etherTagged(IPV4, sipOverUdp4(), 0x8100, 100)), OPTIONS);
        assertEquals(100, msg.vlan());
    }

    @Test
    void qinq_records_the_innermost_vlan() {
        assertDelivered(frame(LinkTypes.ETHERNET, etherTagged(IPV4, sipOverUdp4(), 0x88a8, 200, 0x8100, 100)), OPTIONS);
        assertEquals(100, msg.vlan());
        assertDelivered(frame(LinkTypes.ETHERNET, etherTagged(IPV6, sipOverUdp6(), 0x9100, 7, 0x8100, 4094)), OPTIONS);
        assertEquals(4094, msg.vlan());
        assertDelivered(
                frame(LinkTypes.ETHERNET, etherTagged(IPV4, sipOverUdp4(), 0x8100, 1, 0x8100, 2, 0x8100, 3)), OPTIONS);
        assertEquals(3, msg.vlan());
    }

    @Test
    void a_vlan_tag_cut_short_is_truncated() {
        byte[] tagged = etherTagged(IPV4, sipOverUdp4(), 0x8100, 100);
        assertNotDelivered(DecodeResult.TRUNCATED, cut(LinkTypes.ETHERNET, tagged, 16));
        assertEquals(-1, msg.vlan());
    }

    @Test
    void linux_cooked_v1_and_v2() {
        assertDelivered(frame(LinkTypes.LINUX_SLL, sll(IPV4, sipOverUdp4())), OPTIONS);
        assertEquals(Packets.LENT_AT + 16 + 28, msg.payloadOffset());
        assertDelivered(frame(LinkTypes.LINUX_SLL2, sll2(IPV6, sipOverUdp6())), OPTIONS);
        assertEquals(Packets.LENT_AT + 20 + 48, msg.payloadOffset());
        assertDelivered(
                frame(LinkTypes.LINUX_SLL, sll(0x8100, concat(Packets.u16(55), Packets.u16(IPV4), sipOverUdp4()))),
                OPTIONS);
        assertEquals(55, msg.vlan());
        assertNotDelivered(DecodeResult.NOT_IP, frame(LinkTypes.LINUX_SLL2, sll2(0x0806, new byte[28])));
        assertNotDelivered(DecodeResult.TRUNCATED, frame(LinkTypes.LINUX_SLL2, new byte[19]));
    }

    @Test
    void raw_ip_in_all_its_numberings() {
        for (int lt : new int[] {LinkTypes.RAW, LinkTypes.RAW_BSD, LinkTypes.RAW_OPENBSD}) {
            assertDelivered(frame(lt, sipOverUdp4()), OPTIONS);
            assertEquals(4, msg.ipVersion());
            assertDelivered(frame(lt, sipOverUdp6()), OPTIONS);
            assertEquals(6, msg.ipVersion());
            assertNotDelivered(DecodeResult.NOT_IP, frame(lt, new byte[] {0x50, 0, 0, 0}));
            assertNotDelivered(DecodeResult.TRUNCATED, frame(lt, new byte[0]));
        }
        assertDelivered(frame(LinkTypes.IPV4, sipOverUdp4()), OPTIONS);
        assertDelivered(frame(LinkTypes.IPV6, sipOverUdp6()), OPTIONS);
        assertNotDelivered(DecodeResult.MALFORMED, frame(LinkTypes.IPV4, sipOverUdp6()));
    }

    @Test
    void bsd_loopback_in_either_byte_order_and_every_af_inet6() {
        assertDelivered(frame(LinkTypes.NULL, nullHeader(2, true, sipOverUdp4())), OPTIONS);
        assertDelivered(frame(LinkTypes.NULL, nullHeader(2, false, sipOverUdp4())), OPTIONS);
        for (int af6 : new int[] {10, 24, 28, 30}) {
            assertDelivered(frame(LinkTypes.NULL, nullHeader(af6, true, sipOverUdp6())), OPTIONS);
            assertDelivered(frame(LinkTypes.NULL, nullHeader(af6, false, sipOverUdp6())), OPTIONS);
        }
        assertDelivered(frame(LinkTypes.LOOP, nullHeader(2, false, sipOverUdp4())), OPTIONS);
        assertNotDelivered(DecodeResult.NOT_IP, frame(LinkTypes.NULL, nullHeader(7, true, sipOverUdp4())));
        assertNotDelivered(DecodeResult.TRUNCATED, frame(LinkTypes.NULL, new byte[3]));
    }

    @Test
    void ipv6_extension_headers_are_walked() {
        byte[] chain = extension(60, 0, extension(43, 1, extension(17, 2, udp(5063, 5064, OPTIONS))));
        assertDelivered(frame(LinkTypes.ETHERNET, ether(IPV6, ipv6(A6, B6, 0, chain))), OPTIONS);
        assertEquals(Message.IP_PROTO_UDP, msg.ipProtocol());
        assertEquals(Packets.LENT_AT + 14 + 40 + 8 + 16 + 24 + 8, msg.payloadOffset());

        byte[] ah = authentication(6, 4, tcp(5061, 5062, OPTIONS));
        assertDelivered(frame(LinkTypes.ETHERNET, ether(IPV6, ipv6(A6, B6, 51, ah))), OPTIONS);
        assertEquals(Message.IP_PROTO_TCP, msg.ipProtocol());
    }

    @Test
    void ipv6_atomic_fragment_is_delivered_real_fragments_are_not() {
        byte[] atomic = fragmentHeader(17, 0, false, udp(5063, 5064, OPTIONS));
        assertDelivered(frame(LinkTypes.ETHERNET, ether(IPV6, ipv6(A6, B6, 44, atomic))), OPTIONS);
        byte[] first = fragmentHeader(17, 0, true, udp(5063, 5064, OPTIONS));
        assertNotDelivered(DecodeResult.FRAGMENT, frame(LinkTypes.ETHERNET, ether(IPV6, ipv6(A6, B6, 44, first))));
        byte[] later = fragmentHeader(17, 181, false, OPTIONS);
        assertNotDelivered(
                DecodeResult.FRAGMENT,
                frame(LinkTypes.ETHERNET, ether(IPV6, ipv6(A6, B6, 0, extension(44, 0, later)))));
        assertEquals(A6, msg.srcIpText(), "addresses are known even for an undelivered fragment");
    }

    @Test
    void ipv6_no_next_header_unknown_and_esp() {
        assertNotDelivered(
                DecodeResult.NO_PAYLOAD, frame(LinkTypes.ETHERNET, ether(IPV6, ipv6(A6, B6, 59, new byte[0]))));
        assertNotDelivered(
                DecodeResult.NO_PAYLOAD,
                frame(LinkTypes.ETHERNET, ether(IPV6, ipv6(A6, B6, 0, extension(59, 0, new byte[0])))));
        assertNotDelivered(
                DecodeResult.UNSUPPORTED_PROTOCOL,
                frame(LinkTypes.ETHERNET, ether(IPV6, ipv6(A6, B6, 50, new byte[40]))));
        assertNotDelivered(
                DecodeResult.UNSUPPORTED_PROTOCOL,
                frame(LinkTypes.ETHERNET, ether(IPV6, ipv6(A6, B6, 58, new byte[8]))));
    }

    @Test
    void ipv6_extension_header_past_the_payload_length_is_malformed_past_the_capture_truncated() {
        byte[] longer = ipv6(A6, B6, 0, extension(17, 1, udp(1, 2, OPTIONS)));
        longer[5] = 10; // payload length 10, but the hop-by-hop header is 16 bytes
        longer[4] = 0;
        assertNotDelivered(DecodeResult.MALFORMED, frame(LinkTypes.RAW, longer));
        byte[] ok = ipv6(A6, B6, 0, extension(17, 30, udp(1, 2, OPTIONS)));
        assertNotDelivered(DecodeResult.TRUNCATED, cut(LinkTypes.RAW, ok, 41));
        assertNotDelivered(DecodeResult.TRUNCATED, cut(LinkTypes.RAW, ok, 100));
    }

    @Test
    void ipv4_fragments_are_counted_not_delivered() {
        byte[] ip = sipOverUdp4();
        assertNotDelivered(DecodeResult.FRAGMENT, frame(LinkTypes.RAW, fragment(ip, true, 0)));
        assertNotDelivered(DecodeResult.FRAGMENT, frame(LinkTypes.RAW, fragment(ip, false, 185)));
        assertNotDelivered(DecodeResult.FRAGMENT, frame(LinkTypes.RAW, fragment(ip, true, 1)));
        assertEquals(3, decoder.stats().count(DecodeResult.FRAGMENT));
        assertDelivered(frame(LinkTypes.RAW, fragment(ip, false, 0)), OPTIONS);
    }

    @Test
    void ipv4_total_length_zero_is_taken_as_segmentation_offload() {
        byte[] ip = ipv4(A4, B4, 6, tcp(5061, 5062, OPTIONS));
        ip[2] = 0;
        ip[3] = 0;
        assertDelivered(frame(LinkTypes.RAW, ip), OPTIONS);
    }

    @Test
    void ip_length_beyond_the_frame_on_the_wire_is_malformed_not_cut() {
        byte[] whole = ether(IPV4, sipOverUdp4());
        Frame lying = frame(LinkTypes.ETHERNET, Arrays.copyOf(whole, 60)); // wire length 60 too
        assertNotDelivered(DecodeResult.MALFORMED, lying);
        Frame cutBySnaplen = cut(LinkTypes.ETHERNET, whole, 60); // wire length: the whole frame
        assertDelivered(cutBySnaplen, Arrays.copyOf(OPTIONS, 60 - 42));
        byte[] whole6 = ether(IPV6, sipOverUdp6());
        assertNotDelivered(DecodeResult.MALFORMED, frame(LinkTypes.ETHERNET, Arrays.copyOf(whole6, 80)));
        assertDelivered(cut(LinkTypes.ETHERNET, whole6, 80), Arrays.copyOf(OPTIONS, 80 - 62));
    }

    @Test
    void nothing_to_deliver() {
        assertNotDelivered(
                DecodeResult.NO_PAYLOAD,
                frame(LinkTypes.ETHERNET, ether(IPV4, ipv4(A4, B4, 6, tcp(1, 2, new byte[0])))));
        assertNotDelivered(DecodeResult.NOT_IP, frame(LinkTypes.ETHERNET, ether(0x0806, new byte[28])));
        assertNotDelivered(DecodeResult.NOT_IP, frame(LinkTypes.ETHERNET, ether(0x0042, new byte[46]))); // 802.3 length
        assertNotDelivered(
                DecodeResult.UNSUPPORTED_PROTOCOL,
                frame(LinkTypes.ETHERNET, ether(IPV4, ipv4(A4, B4, 1, new byte[8]))));
        assertNotDelivered(
                DecodeResult.UNSUPPORTED_PROTOCOL,
                frame(LinkTypes.ETHERNET, ether(IPV4, ipv4(A4, B4, 47, new byte[8]))));
        assertNotDelivered(DecodeResult.UNSUPPORTED_LINK, frame(105, sipOverUdp4()));
        assertNotDelivered(DecodeResult.MALFORMED, frame(LinkTypes.ETHERNET, ether(IPV4, sipOverUdp6())));
    }

    // ------------------------------------------------------------------ malformed.pcap, case by case

    @Test
    void truncated_frame_captured_120_bytes_of_a_1242_byte_invite_delivers_what_was_captured() {
        byte[] invite = ascii("INVITE sip:bob@192.0.2.20:5060 SIP/2.0\r\n" + "X-Pad: y\r\n".repeat(120));
        byte[] whole = ether(IPV4, ipv4(A4, B4, 17, udp(5060, 5060, invite)));
        assertDelivered(cut(LinkTypes.ETHERNET, whole, 120), Arrays.copyOf(invite, 78));
        assertEquals(1, decoder.stats().payloadsCut());
    }

    @Test
    void frame_of_10_bytes_shorter_than_an_ethernet_header() {
        assertNotDelivered(DecodeResult.TRUNCATED, frame(LinkTypes.ETHERNET, new byte[10]));
    }

    @Test
    void udp_length_field_500_bytes_larger_than_the_datagram() {
        byte[] ip = ipv4(A4, B4, 17, udpWithLength(5060, 5060, 8 + OPTIONS.length + 500, OPTIONS));
        assertNotDelivered(DecodeResult.MALFORMED, frame(LinkTypes.ETHERNET, ether(IPV4, ip)));
    }

    @Test
    void ipv4_ihl_3() {
        byte[] ip = sipOverUdp4();
        ip[0] = 0x43;
        assertNotDelivered(DecodeResult.MALFORMED, frame(LinkTypes.ETHERNET, ether(IPV4, ip)));
    }

    @Test
    void udp_with_zero_length_payload() {
        assertNotDelivered(
                DecodeResult.NO_PAYLOAD,
                frame(LinkTypes.ETHERNET, ether(IPV4, ipv4(A4, B4, 17, udp(5060, 5060, new byte[0])))));
    }

    @Test
    void two_hundred_random_bytes_to_5060_are_delivered_as_they_are() {
        byte[] junk = new byte[200];
        new Random(5060).nextBytes(junk);
        assertDelivered(frame(LinkTypes.ETHERNET, ether(IPV4, ipv4(A4, B4, 17, udp(5060, 5060, junk)))), junk);
    }

    @Test
    void tcp_data_offset_2() {
        byte[] ip = ipv4(A4, B4, 6, tcp(42000, 5060, 2, 0, OPTIONS));
        assertNotDelivered(DecodeResult.MALFORMED, frame(LinkTypes.ETHERNET, ether(IPV4, ip)));
    }

    @Test
    void tcp_data_offset_beyond_the_packet() {
        byte[] ip = ipv4(A4, B4, 6, tcp(42000, 5060, 15, 0, new byte[10]));
        assertNotDelivered(DecodeResult.MALFORMED, frame(LinkTypes.ETHERNET, ether(IPV4, ip)));
    }

    @Test
    void ipv6_next_header_253_followed_by_udp_bytes() {
        byte[] ip = ipv6(A6, B6, 253, udp(5060, 5060, OPTIONS));
        assertNotDelivered(DecodeResult.UNSUPPORTED_PROTOCOL, frame(LinkTypes.ETHERNET, ether(IPV6, ip)));
    }

    @Test
    void udp_length_field_4() {
        byte[] ip = ipv4(A4, B4, 17, udpWithLength(5060, 5060, 4, OPTIONS));
        assertNotDelivered(DecodeResult.MALFORMED, frame(LinkTypes.ETHERNET, ether(IPV4, ip)));
    }

    @Test
    void ipv4_total_length_16() {
        byte[] ip = sipOverUdp4();
        ip[2] = 0;
        ip[3] = 16;
        assertNotDelivered(DecodeResult.MALFORMED, frame(LinkTypes.ETHERNET, ether(IPV4, ip)));
    }

    @Test
    void crlfcrlf_keep_alive() {
        byte[] ka = ascii("\r\n\r\n");
        assertDelivered(frame(LinkTypes.ETHERNET, ether(IPV4, ipv4(A4, B4, 17, udp(5060, 5060, ka)))), ka);
    }

    @Test
    void udp_header_cut_by_the_snaplen() {
        byte[] whole = ether(IPV4, sipOverUdp4());
        assertNotDelivered(DecodeResult.TRUNCATED, cut(LinkTypes.ETHERNET, whole, 14 + 20 + 5));
        assertNotDelivered(DecodeResult.TRUNCATED, cut(LinkTypes.ETHERNET, whole, 14 + 20 + 8));
    }

    // ------------------------------------------------------------------ robustness

    @Test
    void every_prefix_of_a_frame_is_decoded_without_reading_past_it() {
        byte[] big = etherTagged(
                IPV6,
                ipv6(A6, B6, 0, extension(44, 0, fragmentHeader(17, 0, false, udp(1, 2, OPTIONS)))),
                0x88a8,
                10,
                0x8100,
                20);
        for (int n = 0; n <= big.length; n++) {
            DecodeResult r = decode(cut(LinkTypes.ETHERNET, big, n));
            assertTrue(r == DecodeResult.TRUNCATED || r == DecodeResult.DELIVERED, n + ": " + r);
        }
        for (int lt : new int[] {0, 1, 12, 14, 101, 108, 113, 228, 229, 276}) {
            for (byte[] p : new byte[][] {sipOverUdp4(), sipOverUdp6(), ether(IPV4, sipOverUdp4())}) {
                for (int n = 0; n <= p.length; n++) decode(cut(lt, p, n));
            }
        }
    }

    @Test
    void a_length_beyond_the_buffer_is_trusted_only_as_far_as_the_buffer() {
        Frame f = frame(LinkTypes.ETHERNET, ether(IPV4, sipOverUdp4()));
        f.length = f.data.length + 1000;
        assertDelivered(f, OPTIONS);
        f.length = -5;
        assertNotDelivered(DecodeResult.TRUNCATED, f);
    }

    @Test
    void each_frame_starts_from_a_reset_message() {
        assertDelivered(frame(LinkTypes.ETHERNET, etherTagged(IPV4, sipOverUdp4(), 0x8100, 9)), OPTIONS);
        long seq = msg.sequence();
        assertNotDelivered(DecodeResult.NOT_IP, frame(LinkTypes.ETHERNET, ether(0x0806, new byte[28])));
        assertEquals(seq + 1, msg.sequence());
        assertEquals(-1, msg.vlan());
        assertEquals(0, msg.ipVersion());
        assertEquals(0, msg.payloadLength());
        assertEquals(0, msg.srcPort());
    }

    @Test
    void stats_count_every_result() {
        decode(LinkTypes.ETHERNET, ether(IPV4, sipOverUdp4()));
        decode(LinkTypes.ETHERNET, ether(IPV4, sipOverUdp4()));
        decode(LinkTypes.ETHERNET, new byte[3]);
        decode(999, new byte[3]);
        DecodeStats s = decoder.stats();
        assertEquals(4, s.frames());
        assertEquals(2, s.count(DecodeResult.DELIVERED));
        assertEquals(1, s.count(DecodeResult.TRUNCATED));
        assertEquals(1, s.count(DecodeResult.UNSUPPORTED_LINK));
        assertEquals("frames=4 delivered=2 unsupported_link=1 truncated=1", s.toString());
    }

    @Test
    void fixtures_agree_with_their_own_length_fields() {
        // the fixtures themselves: lengths in headers agree with the bytes
        byte[] ip = sipOverUdp4();
        assertEquals(ip.length, ((ip[2] & 0xff) << 8) | (ip[3] & 0xff));
        byte[] ip6 = sipOverUdp6();
        assertEquals(ip6.length - 40, ((ip6[4] & 0xff) << 8) | (ip6[5] & 0xff));
        assertEquals(concat(new byte[] {1}, new byte[] {2}).length, 2);
    }
}
