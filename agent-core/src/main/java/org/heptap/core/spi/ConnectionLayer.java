package org.heptap.core.spi;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;

/**
 * A layer between an accepted TCP connection of a collector socket and the socket's stream framer
 * (TLS: the module that knows it decrypts what the peer sends and encrypts the replies).
 * agent-core knows no such protocol: a listen entry {@code <scheme>:HOST:PORT} asks for the layer
 * of that scheme, which a module configures from the socket's {@code <scheme>:} section
 * ({@link ConnectionLayerProvider}). The layer does its work as a Netty handler the collector
 * puts first in each connection's pipeline: what passes it inbound are the application bytes,
 * what the collector writes (replies) it wraps on the way out.
 *
 * <p>Layers are compared on reload ({@code equals}): two configured alike must be equal.
 */
public interface ConnectionLayer {
    /** The listen scheme it serves, e.g. {@code tls}. */
    String scheme();

    /** One phrase for the socket's start-up line, e.g. what certificate it presents. */
    String describe();

    /** The layer's state for one new connection from {@code peer}; called on the connection's event loop. */
    Session open(ByteBufAllocator alloc, InetSocketAddress peer);

    /** One connection's layer. */
    interface Session {
        /** The handler that does the layer's work; the collector adds it first to the connection's pipeline. */
        ChannelHandler handler();

        /**
         * Succeeds once the layer's handshake is complete (application bytes can flow); fails
         * when the peer fails the layer's checks, or when the connection closes before.
         */
        Future<?> established();

        /**
         * Succeeds when the peer ended the layer (TLS close_notify): no more application bytes
         * come, and the collector closes the connection (the layer answering the peer) once it
         * has framed what it holds. Fails when the connection closes without that.
         */
        Future<?> ended();

        /** Why a peer was rejected ({@code failure}: the cause {@link #established()} failed with), for one log line naming it. */
        String rejection(Throwable failure);
    }
}
