package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.heptap.core.message.Message;
import org.junit.jupiter.api.Test;

/** is_rtp() and analyse_rtp() of one packet share one parse; the next packet, or another payload, is parsed anew. */
class ParsedRtpTest {
    private static byte[] rtp(int seq) {
        byte[] p = new byte[172];
        p[0] = (byte) 0x80;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        return p;
    }

    @Test
    void one_packet_is_parsed_once_and_the_next_anew() {
        Message m = new Message();
        m.reset();
        byte[] first = rtp(7);
        m.setPayload(first, 0, first.length);
        ParsedRtp p = ParsedRtp.of(m);
        assertTrue(p.isRtp());
        assertEquals(7, p.header.sequence());
        first[3] = 8; // a second call for the same packet does not parse again
        assertSame(p, ParsedRtp.of(m));
        assertEquals(7, ParsedRtp.of(m).header.sequence());

        m.reset(); // the next packet, in the same buffer
        m.setPayload(first, 0, first.length);
        assertEquals(8, ParsedRtp.of(m).header.sequence());
        byte[] sip = "OPTIONS sip:a SIP/2.0\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        m.setPayload(sip, 0, sip.length); // a plan function replaced the payload: parsed anew
        assertFalse(ParsedRtp.of(m).isRtp());
    }
}
