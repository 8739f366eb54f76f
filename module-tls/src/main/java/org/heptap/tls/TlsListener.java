package org.heptap.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import org.heptap.core.spi.ConnectionLayer;

/**
 * The TLS layer of one collector socket: one server {@link SslContext} (JDK provider), loaded at
 * configuration, and per accepted connection a {@link TlsConnection}: Netty's {@link SslHandler} on an engine of it (the
 * handshake's delegated tasks run on the connection's event loop, never on the plan's thread).
 * Equal to another configured from the same settings (a reload with the same section changes
 * nothing).
 */
final class TlsListener implements ConnectionLayer {
    private final TlsListenerSettings settings;
    private final SslContext context;

    TlsListener(TlsListenerSettings settings, SslContext context) {
        this.settings = settings;
        this.context = context;
    }

    TlsListenerSettings settings() {
        return settings;
    }

    SslContext context() {
        return context;
    }

    @Override
    public String scheme() {
        return "tls";
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("presenting ").append(settings.cert());
        if (settings.clientCa() == null) sb.append(", no client certificate asked");
        else
            sb.append(
                            settings.requireClientCert()
                                    ? ", client certificate required from "
                                    : ", client certificate checked if sent against ")
                    .append(settings.clientCa());
        return sb.append(", ").append(String.join("/", settings.protocols())).toString();
    }

    @Override
    public Session open(ByteBufAllocator alloc, InetSocketAddress peer) {
        return new TlsConnection(context.newHandler(alloc, peer.getHostString(), peer.getPort()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsListener t && t.settings.equals(settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }
}
