package org.heptap.hep.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heptap.core.config.CollectorSettings;
import org.heptap.core.message.Message;
import org.heptap.core.spi.CollectorFormat;
import org.heptap.hep.TestMessages;
import org.heptap.hep.codec.HepEncoder;
import org.heptap.hep.codec.HepSettings;
import org.junit.jupiter.api.Test;

class HepRelayDecoderTest {
    private static final byte[] ATTACKER = {10, 0, 0, 66};
    private static final byte[] LEGIT = {10, 0, 0, 7};

    /** A HEP3 packet made by heptap's own encoder, its payload compressed (chunk 0x0010) when asked. */
    static byte[] hep3(byte[] payload, boolean compressed) {
        Message m = TestMessages.sipV4();
        m.setPayload(payload, 0, payload.length);
        try (HepEncoder e = new HepEncoder(new HepSettings(3, 2001, null, null, compressed))) {
            ByteBuf buf = e.encode(m, UnpooledByteBufAllocator.DEFAULT);
            try {
                return ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
        }
    }

    private static String decode(CollectorFormat.Decoder d, byte[] from, byte[] packet) {
        Message m = new Message();
        m.reset();
        m.setAddresses(4, from, 0, new byte[] {127, 0, 0, 1}, 0);
        return d.decode(packet, 0, packet.length, m);
    }

    private static long refused(CollectorFormat.Decoder d) {
        Map<String, Long> c = new LinkedHashMap<>();
        d.addCounters(c);
        return c.get("collector-inflate-refused");
    }

    @Test
    void a_payload_inflating_past_inflate_max_payload_is_refused_and_counted() {
        CollectorFormat.Decoder d = new HepCollectorFormat().decoder(settings(8L << 20, 256 << 10));
        byte[] bomb = hep3(new byte[1 << 20], true);
        assertTrue(bomb.length < 2000, "a 1 MB payload compresses to " + bomb.length + " bytes");
        assertSame(CollectorFormat.Decoder.REFUSED, decode(d, ATTACKER, bomb));
        assertEquals(1, refused(d));
        byte[] sip = "INVITE sip:a@b SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertNull(decode(d, ATTACKER, hep3(sip, true)), "a small compressed payload still passes");
    }

    @Test
    void a_sender_past_its_inflate_budget_is_refused_while_others_are_served() {
        CollectorFormat.Decoder d = new HepCollectorFormat().decoder(settings(1 << 20, 256 << 10));
        byte[] big = hep3(new byte[200_000], true); // within inflate-max-payload
        int passed = 0;
        for (int i = 0; i < 50; i++) {
            if (decode(d, ATTACKER, big) == null) passed++;
        }
        assertTrue(passed >= 5 && passed <= 10, "1 MB a second: about five 200 KB payloads pass, not 50: " + passed);
        assertEquals(50 - passed, refused(d));
        assertNull(decode(d, LEGIT, big), "another address has its own budget");
        assertNull(
                decode(d, ATTACKER, hep3("plain".getBytes(StandardCharsets.US_ASCII), false)),
                "an uncompressed packet costs no budget");
    }

    private static CollectorSettings settings(long perSource, int maxPayload) {
        CollectorSettings.Limits d = CollectorSettings.Limits.DEFAULTS;
        return new CollectorSettings(
                java.util.List.of(),
                false,
                "sip",
                1,
                256,
                "hep",
                Map.of(),
                new CollectorSettings.Limits(
                        d.maxConnectionsPerSource(),
                        d.firstMessageTimeoutNanos(),
                        d.receiveBuffer(),
                        perSource,
                        maxPayload));
    }
}
