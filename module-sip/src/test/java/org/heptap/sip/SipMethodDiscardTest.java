package org.heptap.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.heptap.core.message.Message;
import org.heptap.core.spi.MessageFilter;
import org.junit.jupiter.api.Test;

class SipMethodDiscardTest {
    private final Problems problems = new Problems();
    private final MessageFilter filter =
            new SipMethodDiscard().compile(List.of("OPTIONS", "notify,PUBLISH"), ConfigNode.empty("test", problems));

    private boolean matches(String text) {
        Message m = new Message();
        m.reset();
        byte[] b = ("xx" + text).getBytes(StandardCharsets.ISO_8859_1);
        m.setPayload(b, 2, b.length - 2);
        return filter.matches(m);
    }

    @Test
    void requests_with_a_listed_method() {
        assertTrue(matches("OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n"));
        assertTrue(matches("NOTIFY sip:a@b SIP/2.0\r\n\r\n"));
        assertTrue(matches("publish sip:a@b SIP/2.0\r\n\r\n"));
        assertFalse(
                matches("INVITE sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n"), "a request is judged by its own method");
        assertFalse(matches("OPTIONSX sip:a@b SIP/2.0\r\n\r\n"));
        assertFalse(matches("OPTIONS"));
    }

    @Test
    void responses_by_the_method_in_cseq() {
        assertTrue(matches("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP x\r\nCSeq: 7 OPTIONS\r\nContent-Length: 0\r\n\r\n"));
        assertTrue(matches("SIP/2.0 200 OK\r\ncseq :\t12   Notify\r\n\r\n"));
        assertFalse(matches("SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n"));
        assertFalse(matches("SIP/2.0 200 OK\r\nX-CSeq: 1 OPTIONS\r\n\r\n"));
        assertFalse(matches("SIP/2.0 200 OK\r\n\r\nCSeq: 1 OPTIONS\r\n"), "a body is not a header");
        assertFalse(matches("SIP/2.0 200 OK\r\nCSeq: 1"));
    }

    @Test
    void anything_else_is_kept() {
        assertFalse(matches(""));
        assertFalse(matches("\u0080\u00c8\u0000\u0006binary rtcp"));
        assertFalse(matches(" OPTIONS sip:a SIP/2.0\r\n"));
        assertTrue(problems.errors().isEmpty());
    }
}
