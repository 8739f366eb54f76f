package org.heptap.transport;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
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
