package org.heptap.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.heptap.core.spi.StreamFramer;
import org.junit.jupiter.api.Test;

class SipStreamFramerTest {
    private static final String INVITE =
            "INVITE sip:bob@example.org SIP/2.0\r\nCall-ID: a\r\nContent-Length: 4\r\n\r\nv=0\n";
    private static final String TRYING = "SIP/2.0 100 Trying\r\nCall-ID: a\r\nl: 0\r\n\r\n";
    private final SipStreamFramer framer = new SipStreamFramer();
    private final StreamFramer.Span span = new StreamFramer.Span();

    private int next(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return framer.next(b, 0, b.length, span);
    }

    @Test
    void a_message_ends_after_its_content_length() {
        assertEquals(INVITE.length(), next(INVITE + TRYING));
        assertEquals(INVITE.length(), span.length);
        assertEquals(TRYING.length(), next(TRYING + "INV"));
        assertEquals(TRYING.length(), span.length);
    }

    @Test
    void incomplete_headers_or_body_wait_for_more() {
        assertEquals(0, next(INVITE.substring(0, 30)));
        assertEquals(0, next(INVITE.substring(0, INVITE.length() - 1)));
        assertEquals(0, next("SIP/2."));
    }

    @Test
    void keepalives_are_consumed_without_a_message() {
        assertEquals(4, next("\r\n\r\n" + TRYING));
        assertEquals(0, span.length);
    }

    @Test
    void bytes_that_start_no_message_are_skipped_line_by_line() {
        String tail = "a=rtpmap:0 PCMU/8000\r\n";
        assertEquals(tail.length(), next(tail + TRYING));
        assertEquals(0, span.length);
    }

    @Test
    void an_impossible_content_length_is_not_believed() {
        String bad = "MESSAGE sip:x SIP/2.0\r\nContent-Length: 99999999999\r\n\r\n";
        int consumed = next(bad);
        assertEquals("MESSAGE sip:x SIP/2.0\r\n".length(), consumed);
        assertEquals(0, span.length);
    }
}
