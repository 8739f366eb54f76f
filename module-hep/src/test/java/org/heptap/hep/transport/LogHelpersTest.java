package org.heptap.hep.transport;

import static org.junit.jupiter.api.Assertions.*;

import org.heptap.core.message.Message;
import org.heptap.hep.TestMessages;
import org.junit.jupiter.api.Test;

class LogHelpersTest {
    @Test
    void callIdFromTheSipHeader() {
        assertEquals("c1@192.0.2.10", CallIdForLog.of(TestMessages.sipV4()));
    }

    @Test
    void callIdFromTheCompactHeader() {
        assertEquals("abc", CallIdForLog.of(TestMessages.sip(4, "BYE sip:a SIP/2.0\r\nVia: x\r\ni:  abc \r\n\r\n")));
    }

    @Test
    void correlationIdWins() {
        assertEquals("c1@192.0.2.10", CallIdForLog.of(TestMessages.rtcpV4("{\"call-id\":\"other\"}")));
    }

    @Test
    void nothingInTheBody() {
        Message m = TestMessages.sip(4, "MESSAGE sip:a SIP/2.0\r\nVia: x\r\n\r\nCall-ID: in-the-body\r\n");
        assertEquals("unknown", CallIdForLog.of(m));
        assertEquals("unknown", CallIdForLog.of(TestMessages.sip(4, "")));
        assertEquals("unknown", CallIdForLog.of(TestMessages.sip(4, "Call-IDx: no\r\n")));
    }
}
