package org.heptap.transport;

import io.netty.buffer.ByteBuf;
import org.heptap.core.spi.Transport;

/** One collector of a hep profile (UDP or stream), as the profile's fan-out/fail-over sees it. */
public interface Collector extends Transport, RawSender, PacketHandOver {
    /** {@code proto:host:port}, for logs and counter names. */
    String target();

    /** False while the collector is known to be unreachable (a stream collector between a failure and the next connection). */
    @Override
    boolean healthy();

    /** A lone collector (a profile with one) answers for itself. */
    @Override
    default java.util.Map<String, Boolean> collectorHealth() {
        return java.util.Map.of(target(), healthy());
    }

    /**
     * True while this collector is unhealthy but still holds packets it is passing on, in order,
     * to the next one in fail-over: new packets must queue behind them here, not overtake them
     * by going to the next collector directly.
     */
    default boolean handingOver() {
        return false;
    }

    /**
     * Takes an already encoded packet (the caller passes ownership); used to move what a failed
     * collector still holds to the next one in fail-over. False (buffer released, nothing
     * counted) when this collector cannot take it now.
     */
    @Override
    default boolean handOver(ByteBuf packet) {
        packet.release();
        return false;
    }
}
