package org.heptap.core.plan;

import org.heptap.core.spi.SocketTimer;

/** A timer a bound call of a plan asked for, with its period in microseconds of the socket's clock. */
public record PlanTimer(SocketTimer timer, long periodMicros) {
    public PlanTimer {
        if (timer == null) throw new IllegalArgumentException("timer is null");
        if (periodMicros <= 0) throw new IllegalArgumentException("period must be positive: " + periodMicros);
    }
}
