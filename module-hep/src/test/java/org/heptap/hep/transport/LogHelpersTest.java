package org.heptap.hep.transport;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicLong;
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

    @Test
    void rateLimitLetsOneThroughPerIntervalAndCountsTheRest() {
        AtomicLong now = new AtomicLong(1_000);
        RateLimitedLog log = new RateLimitedLog(100, now::get);
        assertEquals(0, log.tryAcquire());
        assertEquals(-1, log.tryAcquire());
        assertEquals(-1, log.tryAcquire());
        now.addAndGet(99);
        assertEquals(-1, log.tryAcquire());
        now.addAndGet(1);
        assertEquals(3, log.tryAcquire(), "three held back since the last line");
        assertEquals(-1, log.tryAcquire());
    }
}
