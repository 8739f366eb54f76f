package org.heptap.transport;

import io.netty.buffer.ByteBuf;

/** Where a failed stream collector moves the packets it still holds (fail-over profiles). */
interface PacketHandOver {
    /** True when some collector can take packets now. */
    boolean healthy();

    /** Takes ownership of an encoded packet; false (and released) when nobody can take it. */
    boolean handOver(ByteBuf packet);
}
