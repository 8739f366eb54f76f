package org.heptap.core.decode;

import static org.heptap.core.decode.Packets.A4;
import static org.heptap.core.decode.Packets.A6;
import static org.heptap.core.decode.Packets.B4;
import static org.heptap.core.decode.Packets.B6;
import static org.heptap.core.decode.Packets.ascii;
import static org.heptap.core.decode.Packets.concat;
import static org.heptap.core.decode.Packets.ether;
import static org.heptap.core.decode.Packets.fragmentHeader;
import static org.heptap.core.decode.Packets.frame;
import static org.heptap.core.decode.Packets.ipv4;
import static org.heptap.core.decode.Packets.ipv6;
import static org.heptap.core.decode.Packets.u16;
import static org.heptap.core.decode.Packets.udp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.LinkTypes;
import org.heptap.core.message.Message;
import org.junit.jupiter.api.Test;

/** Fragment reassembly, tunnels and duplicate suppression in {@link PacketDecoder}. */
class CompletenessDecodeTest {
    private static final int IPV4 = 0x0800;
    private static final int IPV6 = 0x86dd;
    /** 40 bytes of SIP-looking payload: 48 with the UDP header, six 8-byte fragment units. */
    private static final byte[] SIP = Arrays.copyOf(ascii("OPTIONS sip:b SIP/2.0\r\nCall-ID: frag-x\r\n"), 40);

    private static final String OUT_A = "203.0.113.1";
    private static final String OUT_B = "203.0.113.2";

    private final List<byte[]> delivered = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private final List<Frame> frames = new ArrayList<>();
    private final Message msg = new Message();

    private PacketDecoder decoder(boolean dedup) {
        return new PacketDecoder(new DecodeOptions(true, 4, 1 << 20, 30_000_000L, true, dedup, 2_000_000L));
    }

    private DecodeResult feed(PacketDecoder d, Frame f) {
        return d.decode(f, msg, m -> {
            delivered.add(Arrays.copyOfRange(m.payload(), m.payloadOffset(), m.payloadOffset() + m.payloadLength()));
            addresses.add(m.srcIpText() + ":" + m.srcPort() + ">" + m.dstIpText() + ":" + m.dstPort());
            frames.add(m.frame());
        });
    }

    /** IPv4 fragment of the UDP datagram {@code udp}: bytes [from, to), id 0x1234. */
    private static Frame v4Piece(byte[] udp, int from, int to, long ts) {
        byte[] p = ipv4(A4, B4, 17, Arrays.copyOfRange(udp, from, to));
        int v = (to < udp.length ? 0x2000 : 0) | (from / 8);
        p[6] = (byte) (v >> 8);
        p[7] = (byte) v;
        Frame f = frame(LinkTypes.ETHERNET, ether(IPV4, p));
        f.timestampMicros = ts;
        return f;
    }

    @Test
    void ipv4_fragments_in_any_order_make_one_datagram() {
        byte[] u = udp(5060, 5060, SIP);
        PacketDecoder d = decoder(false);
        assertEquals(DecodeResult.FRAGMENT, feed(d, v4Piece(u, 32, 48, 1)));
        assertEquals(DecodeResult.FRAGMENT, feed(d, v4Piece(u, 0, 16, 2)));
        assertEquals(DecodeResult.DELIVERED, feed(d, v4Piece(u, 16, 32, 3)));
        assertArrayEquals(SIP, delivered.get(0));
        assertEquals(A4 + ":5060>" + B4 + ":5060", addresses.get(0));
        assertNull(frames.get(0), "a datagram of three frames is none of them");
        assertEquals(1, d.fragments().reassembled());
        assertEquals(0, d.fragments().inFlight());
    }

    @Test
    void overlapping_fragments_keep_the_bytes_that_came_first() {
        byte[] u = udp(5060, 5060, SIP);
        byte[] forged = u.clone();
        Arrays.fill(forged, 16, 32, (byte) 'X');
        PacketDecoder d = decoder(false);
        feed(d, v4Piece(u, 0, 24, 1));
        feed(d, v4Piece(forged, 8, 40, 2)); // rewrites 8-24 (ignored), adds 24-40 ('X' from 24 to 32)
        assertEquals(DecodeResult.DELIVERED, feed(d, v4Piece(u, 40, 48, 3)));
        byte[] want = u.clone();
        Arrays.fill(want, 24, 32, (byte) 'X');
        assertArrayEquals(Arrays.copyOfRange(want, 8, 48), delivered.get(0));
    }

    @Test
    void datagrams_beyond_the_bound_evict_the_oldest_and_late_ones_time_out() {
        byte[] u = udp(5060, 5060, SIP);
        PacketDecoder d = decoder(false);
        for (int id = 0; id < 6; id++) {
            Frame f = v4Piece(u, 0, 16, id);
            f.data[f.offset + 14 + 4] = 0;
            f.data[f.offset + 14 + 5] = (byte) id;
            feed(d, f);
        }
        assertEquals(4, d.fragments().inFlight());
        assertEquals(2, d.fragments().evictedForCount());
        feed(d, v4Piece(u, 16, 32, 40_000_000L)); // 40 s later: all of them are stale
        assertEquals(4, d.fragments().timedOut());
        assertEquals(0, delivered.size());
    }

    @Test
    void ipv6_fragments_are_reassembled() {
        byte[] u = udp(5060, 5062, SIP);
        PacketDecoder d = decoder(false);
        Frame second = frame(
                LinkTypes.ETHERNET,
                ether(IPV6, ipv6(A6, B6, 44, fragmentHeader(17, 3, false, Arrays.copyOfRange(u, 24, 48)))));
        Frame first = frame(
                LinkTypes.ETHERNET,
                ether(IPV6, ipv6(A6, B6, 44, fragmentHeader(17, 0, true, Arrays.copyOfRange(u, 0, 24)))));
        assertEquals(DecodeResult.FRAGMENT, feed(d, second));
        assertEquals(DecodeResult.DELIVERED, feed(d, first));
        assertArrayEquals(SIP, delivered.get(0));
    }

    @Test
    void tunnels_deliver_the_inner_packet() {
        byte[] inner = ipv4("192.0.2.10", "192.0.2.20", 17, udp(5060, 5060, SIP));
        byte[] innerEthernet = ether(IPV4, inner);
        PacketDecoder d = decoder(false);
        // IP-in-IP
        assertEquals(
                DecodeResult.DELIVERED, feed(d, frame(LinkTypes.ETHERNET, ether(IPV4, ipv4(OUT_A, OUT_B, 4, inner)))));
        // GRE carrying IPv4, with a key
        byte[] gre = concat(u16(0x2000), u16(0x0800), new byte[4], inner);
        assertEquals(
                DecodeResult.DELIVERED, feed(d, frame(LinkTypes.ETHERNET, ether(IPV4, ipv4(OUT_A, OUT_B, 47, gre)))));
        // ERSPAN type II: GRE with sequence number, 8-byte ERSPAN header (version 1), Ethernet
        byte[] erspan =
                concat(u16(0x1000), u16(0x88be), new byte[4], new byte[] {0x10, 0, 0, 42, 0, 0, 0, 0}, innerEthernet);
        assertEquals(
                DecodeResult.DELIVERED,
                feed(d, frame(LinkTypes.ETHERNET, ether(IPV4, ipv4(OUT_A, OUT_B, 47, erspan)))));
        // VXLAN: UDP 4789, I flag, VNI
        byte[] vxlan = udp(40000, 4789, concat(new byte[] {8, 0, 0, 0, 0, 0x03, (byte) 0xe8, 0}, innerEthernet));
        assertEquals(
                DecodeResult.DELIVERED, feed(d, frame(LinkTypes.ETHERNET, ether(IPV4, ipv4(OUT_A, OUT_B, 17, vxlan)))));
        // HP ERM: UDP 7932, 12-byte header, Ethernet
        byte[] erm = udp(40000, 7932, concat(new byte[12], innerEthernet));
        assertEquals(
                DecodeResult.DELIVERED, feed(d, frame(LinkTypes.ETHERNET, ether(IPV4, ipv4(OUT_A, OUT_B, 17, erm)))));
        assertEquals(5, delivered.size());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(SIP, delivered.get(i));
            assertEquals("192.0.2.10:5060>192.0.2.20:5060", addresses.get(i));
        }
    }

    @Test
    void tunnels_are_not_entered_when_decapsulation_is_off() {
        byte[] inner = ipv4("192.0.2.10", "192.0.2.20", 17, udp(5060, 5060, SIP));
        PacketDecoder d = new PacketDecoder(DecodeOptions.NONE);
        assertEquals(
                DecodeResult.UNSUPPORTED_PROTOCOL,
                feed(d, frame(LinkTypes.ETHERNET, ether(IPV4, ipv4(A4, B4, 4, inner)))));
    }

    @Test
    void tunnels_nested_past_the_limit_are_refused() {
        byte[] p = ipv4("192.0.2.10", "192.0.2.20", 17, udp(5060, 5060, SIP));
        for (int i = 0; i < PacketDecoder.MAX_NESTING; i++) p = ipv4(A4, B4, 4, p);
        assertEquals(DecodeResult.NESTED_TOO_DEEP, feed(decoder(false), frame(LinkTypes.ETHERNET, ether(IPV4, p))));
    }

    @Test
    void a_copy_within_the_window_is_a_duplicate() {
        byte[] packet = ether(IPV4, ipv4(A4, B4, 17, udp(5060, 5060, SIP)));
        PacketDecoder d = decoder(true);
        Frame f = frame(LinkTypes.ETHERNET, packet);
        f.timestampMicros = 1_000_000;
        assertEquals(DecodeResult.DELIVERED, feed(d, f));
        f.timestampMicros = 1_000_350;
        assertEquals(DecodeResult.DUPLICATE, feed(d, f));
        f.timestampMicros = 4_000_000; // past the 2 s window: a retransmission, not a mirror copy
        assertEquals(DecodeResult.DELIVERED, feed(d, f));
        assertEquals(1, d.duplicates().dropped());
    }
}
