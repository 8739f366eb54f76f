package org.heptap.core.decode.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.heptap.core.config.PortRange;
import org.heptap.core.message.Message;
import org.heptap.core.spi.StreamFramer;
import org.junit.jupiter.api.Test;

class TcpReassemblerTest {
    /** Frames messages ending in ';' (protocol knowledge lives in modules; this one is the test's). */
    private static final StreamFramer SEMICOLON = new StreamFramer() {
        @Override
        public String name() {
            return "semicolon";
        }

        @Override
        public int next(byte[] buf, int off, int len, Span span) {
            for (int i = 0; i < len; i++) {
                if (buf[off + i] == ';') {
                    span.set(off, i + 1);
                    return i + 1;
                }
            }
            span.set(off, 0);
            return 0;
        }
    };

    private final List<String> got = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final Message seg = new Message();

    private TcpReassembler reassembler(int maxFlows) {
        return new TcpReassembler(
                new TcpOptions(
                        true, maxFlows, 1 << 20, 4096, 60_000_000L, "semicolon", List.of(new PortRange(8080, 8080))),
                SEMICOLON,
                new WebSocketFramer());
    }

    private void send(TcpReassembler r, int srcPort, long seq, String data, long ts) {
        send(r, srcPort, seq, data.getBytes(StandardCharsets.ISO_8859_1), ts);
    }

    private void send(TcpReassembler r, int srcPort, long seq, byte[] data, long ts) {
        seg.reset();
        seg.setAddresses(4, new byte[] {10, 0, 0, 1}, 0, new byte[] {10, 0, 0, 2}, 0);
        seg.setIpProtocol(Message.IP_PROTO_TCP);
        seg.setPorts(srcPort, srcPort == 8080 ? 40000 : 5060);
        seg.setTimestampMicros(ts);
        seg.setTcpSegment(seq, 0x18);
        seg.setPayload(data, 0, data.length);
        seg.setFrame(new org.heptap.core.capture.Frame());
        r.accept(seg, m -> {
            assertNull(m.frame(), "a message framed out of a stream is no single captured frame");
            got.add(new String(m.payload(), m.payloadOffset(), m.payloadLength(), StandardCharsets.ISO_8859_1));
            times.add(m.timestampMicros());
            assertEquals(srcPort, m.srcPort());
        });
    }

    @Test
    void messages_split_merged_and_out_of_order_come_out_in_stream_order() {
        TcpReassembler r = reassembler(16);
        send(r, 40000, 100, "one;tw", 10);
        send(r, 40000, 111, "ee;", 30); // ahead: 'o;thr' is missing
        assertEquals(List.of("one;"), got);
        send(r, 40000, 106, "o;thr", 20);
        send(r, 40000, 106, "o;thr", 21); // retransmission
        send(r, 40000, 114, "four;five;", 40);
        assertEquals(List.of("one;", "two;", "three;", "four;", "five;"), got);
        // one segment completing two: 20, 21; the next one's own time 40, then 41
        assertEquals(List.of(10L, 20L, 21L, 40L, 41L), times);
        assertEquals(1, r.retransmissions());
    }

    @Test
    void a_hole_that_never_fills_is_skipped_after_the_held_segments_bound() {
        TcpReassembler r = reassembler(16);
        send(r, 40000, 0, "a;", 1);
        long seq = 1000; // bytes 2-999 never arrive
        for (int i = 0; i <= TcpReassembler.MAX_HELD; i++) {
            send(r, 40000, seq, "m" + (char) ('a' + i) + ";", 2 + i);
            seq += 3;
        }
        assertEquals(1, r.gapsSkipped());
        assertEquals(2 + TcpReassembler.MAX_HELD, got.size());
        assertEquals("ma;", got.get(1));
    }

    @Test
    void flows_beyond_the_bound_evict_the_least_recently_active() {
        TcpReassembler r = reassembler(4);
        for (int p = 1; p <= 10; p++) send(r, p, 0, "never ending", p);
        assertEquals(4, r.flows());
        assertEquals(6, r.flowsEvicted());
        assertTrue(r.bytesHeld() <= 4 * 4096);
    }

    @Test
    void websocket_frames_masked_or_not_are_messages_after_the_upgrade() {
        TcpReassembler r = reassembler(16);
        String upgrade = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
        byte[] payload = "SIP/2.0 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] unmasked = new byte[2 + payload.length];
        unmasked[0] = (byte) 0x81;
        unmasked[1] = (byte) payload.length;
        System.arraycopy(payload, 0, unmasked, 2, payload.length);
        byte[] mask = {0x37, (byte) 0xfa, 0x21, 0x3d};
        byte[] masked = new byte[6 + payload.length];
        masked[0] = (byte) 0x81;
        masked[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, masked, 2, 4);
        for (int i = 0; i < payload.length; i++) masked[6 + i] = (byte) (payload[i] ^ mask[i & 3]);
        send(r, 8080, 0, upgrade, 1);
        send(r, 8080, upgrade.length(), unmasked, 2);
        send(r, 8080, upgrade.length() + unmasked.length, masked, 3);
        assertEquals(List.of("SIP/2.0 200 OK\r\n\r\n", "SIP/2.0 200 OK\r\n\r\n"), got);
    }
}
