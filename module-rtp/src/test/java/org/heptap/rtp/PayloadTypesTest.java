package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadTypesTest {
    private static PayloadTypes sdp(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return PayloadTypes.fromSdp(b, 0, b.length);
    }

    @Test
    void telephone_events_are_the_dynamic_types_an_rtpmap_names_so_in_any_case() {
        PayloadTypes t = sdp("a=rtpmap:101 telephone-event/8000\r\na=rtpmap:127 Telephone-Event/48000\r\n"
                + "a=rtpmap:96 opus/48000/2\r\na=rtpmap:0 telephone-event/8000\r\n");
        assertTrue(t.isTelephoneEvent(101));
        assertTrue(t.isTelephoneEvent(127));
        assertFalse(t.isTelephoneEvent(96));
        assertFalse(t.isTelephoneEvent(0), "static types keep their RFC 3551 meaning");
        assertFalse(t.isTelephoneEvent(100));
        assertFalse(t.isTelephoneEvent(-1));
        assertFalse(t.isTelephoneEvent(128));
        assertFalse(PayloadTypes.STATIC.isTelephoneEvent(101));
    }

    @Test
    void a_type_redefined_takes_its_new_meaning() {
        PayloadTypes t = sdp("a=rtpmap:101 telephone-event/8000\r\n");
        t.define(101, "opus", 48000);
        assertFalse(t.isTelephoneEvent(101));
        assertEquals(48000, t.clockRate(101));
        t.define(101, "telephone-event", 8000);
        assertTrue(t.isTelephoneEvent(101));
    }
}
