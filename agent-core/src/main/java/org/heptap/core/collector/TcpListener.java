package org.heptap.core.collector;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import org.heptap.core.spi.ConnectionLayer;

/**
 * Sets up each connection accepted on one TCP listen address of a collector socket (event loop):
 * refused at once beyond the socket's connection limits, else its connection layer's handler
 * (TLS), then a {@link StreamConnection} that frames what arrives. A peer the layer rejects
 * (handshake failure) is counted and logged, rate-limited, in one line naming it and the
 * reason; its connection is closed and the socket serves on.
 */
@ChannelHandler.Sharable
final class TcpListener extends ChannelInitializer<Channel> {
    private final OpenConnections connections;
    private final StreamConnection.Intake intake;
    /** Null for plain TCP. */
    private final ConnectionLayer layer;

    private final CollectorLog log;

    TcpListener(OpenConnections connections, StreamConnection.Intake intake, ConnectionLayer layer, CollectorLog log) {
        this.connections = connections;
        this.intake = intake;
        this.layer = layer;
        this.log = log;
        if (layer != null) intake.counters().layer(layer.scheme());
    }

    @Override
    protected void initChannel(Channel ch) {
        InetSocketAddress peer = (InetSocketAddress) ch.remoteAddress();
        if (!connections.admit(peer)) {
            ch.close();
            return;
        }
        ConnectionLayer.Session session = layer != null ? layer.open(ch.alloc(), peer) : null;
        StreamConnection c = new StreamConnection(ch, session, layer != null ? layer.scheme() : null, intake);
        if (session != null) {
            ch.pipeline().addLast(session.handler());
            session.established().addListener(f -> {
                if (f.isSuccess()) {
                    intake.counters().layer(layer.scheme())[0]++;
                } else if (!c.closedByUs) {
                    log.rejected(
                            layer.scheme(),
                            peer,
                            f.cause() instanceof ClosedChannelException
                                    ? "the peer closed the connection during the handshake"
                                    : session.rejection(f.cause()));
                    c.close();
                }
            });
            session.ended().addListener(f -> {
                if (f.isSuccess()) c.peerEnded();
            });
        }
        ch.pipeline().addLast(c);
        connections.add(c);
        ch.closeFuture().addListener(f -> connections.closed(c));
    }
}
