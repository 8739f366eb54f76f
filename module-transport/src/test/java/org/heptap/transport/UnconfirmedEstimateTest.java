package org.heptap.transport;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class UnconfirmedEstimateTest {
    @Test
    void atRiskIsWhatFitsInTheSendBufferNewestFirst() {
        UnconfirmedEstimate e = new UnconfirmedEstimate();
        e.connected(1000);
        for (int i = 0; i < 10; i++) e.written(300);
        assertEquals(3, e.connectionLost(), "three 300-byte packets fit in 1000 bytes");
        assertEquals(900, e.lastAtRiskBytes());
        assertEquals(10, e.writtenOnConnection());
        assertEquals(3, e.total());
    }

    @Test
    void atLeastTheLastPacketIsAtRiskAndTotalsAddUpOverConnections() {
        UnconfirmedEstimate e = new UnconfirmedEstimate();
        e.connected(0); // size unknown
        e.written(500);
        assertEquals(1, e.connectionLost());
        e.connected(10_000);
        assertEquals(0, e.connectionLost(), "nothing written on the new connection");
        assertEquals(1, e.total());
    }
}
