package org.heptap.core.decode.tcp;

import java.util.List;
import org.heptap.core.config.PortRange;

/**
 * TCP stream reassembly of one socket.
 *
 * @param reassemble       put segments in order and frame messages out of the stream
 * @param maxFlows         most flows (one per direction) followed at once; the least recently
 *                         active is evicted
 * @param maxBytes         most bytes buffered over all flows (unframed data and segments held
 *                         out of order); least recently active flows are evicted
 * @param maxMessage       most unframed bytes one flow may hold: beyond, they are discarded
 * @param idleTimeoutMicros a flow with no segment this long (capture time) is forgotten
 * @param framer           name of the stream framer (exported by a module) for ordinary flows
 * @param websocketPorts   flows to or from these ports carry WebSocket (RFC 7118)
 */
public record TcpOptions(
        boolean reassemble,
        int maxFlows,
        long maxBytes,
        int maxMessage,
        long idleTimeoutMicros,
        String framer,
        List<PortRange> websocketPorts) {

    /** The name of the framer used for flows on the websocket ports. */
    public static final String WEBSOCKET_FRAMER = "websocket";

    public static final TcpOptions DEFAULTS = new TcpOptions(true, 4096, 16L << 20, 65536, 120_000_000L, "", List.of());

    public boolean isWebSocket(int src, int dst) {
        for (PortRange r : websocketPorts) {
            if (r.contains(src) || r.contains(dst)) return true;
        }
        return false;
    }
}
