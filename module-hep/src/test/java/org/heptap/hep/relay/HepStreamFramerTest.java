package org.heptap.hep.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.heptap.core.spi.StreamFramer;
import org.junit.jupiter.api.Test;

class HepStreamFramerTest {
    private final HepStreamFramer framer = new HepStreamFramer();
    private final StreamFramer.Span span = new StreamFramer.Span();

    private static byte[] packet(int total) {
        byte[] b = new byte[total];
        b[0] = 'H';
        b[1] = 'E';
        b[2] = 'P';
        b[3] = '3';
        b[4] = (byte) (total >> 8);
        b[5] = (byte) total;
        return b;
    }

    @Test
    void frames_back_to_back_packets_by_their_length() {
        byte[] a = packet(20), b = packet(300);
        byte[] stream = new byte[a.length + b.length];
        System.arraycopy(a, 0, stream, 0, a.length);
        System.arraycopy(b, 0, stream, a.length, b.length);
        assertEquals(20, framer.next(stream, 0, stream.length, span));
        assertEquals(0, span.offset);
        assertEquals(20, span.length);
        assertEquals(300, framer.next(stream, 20, stream.length - 20, span));
        assertEquals(20, span.offset);
        assertEquals(300, span.length);
    }

    @Test
    void waits_for_the_rest_of_a_packet() {
        byte[] a = packet(300);
        assertEquals(0, framer.next(a, 0, 5, span));
        assertEquals(0, framer.next(a, 0, 299, span));
        assertEquals(0, span.length);
    }

    @Test
    void skips_noise_up_to_the_next_packet() {
        byte[] noise = "garbage".getBytes(StandardCharsets.US_ASCII);
        byte[] p = packet(10);
        byte[] stream = new byte[noise.length + p.length];
        System.arraycopy(noise, 0, stream, 0, noise.length);
        System.arraycopy(p, 0, stream, noise.length, p.length);
        assertEquals(noise.length, framer.next(stream, 0, stream.length, span));
        assertEquals(0, span.length);
        assertEquals(10, framer.next(stream, noise.length, p.length, span));
        assertEquals(10, span.length);
        // a broken length skips the magic rather than stalling
        byte[] broken = packet(6);
        broken[5] = 2;
        assertEquals(4, framer.next(broken, 0, broken.length, span));
        assertEquals(0, span.length);
    }
}
