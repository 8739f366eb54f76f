package org.heptap.core.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {
    @Test
    void one_source_cannot_take_more_than_its_share_and_another_is_not_affected() throws Exception {
        InetAddress a = InetAddress.getByName("127.0.0.1");
        InetAddress b = InetAddress.getByName("127.0.0.2");
        ConnectionLimiter limiter = new ConnectionLimiter(16);
        for (int i = 0; i < 16; i++) assertTrue(limiter.tryOpen(a));
        assertFalse(limiter.tryOpen(a), "the 17th from the same address");
        assertTrue(limiter.tryOpen(b), "another address has its own places");
        limiter.closed(a);
        assertTrue(limiter.tryOpen(a), "a closed connection gives its place back");
    }

    @Test
    void sources_without_connections_leave_the_table() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(2);
        for (int i = 1; i <= 100; i++) {
            InetAddress s = InetAddress.getByName("10.0.0." + i);
            assertTrue(limiter.tryOpen(s));
            limiter.closed(s);
        }
        assertEquals(0, limiter.sources());
        InetAddress a = InetAddress.getByName("10.0.0.1");
        limiter.closed(a); // a refused connection's close gives nothing back
        assertEquals(0, limiter.openFrom(a));
    }
}
