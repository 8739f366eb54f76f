package org.heptap.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Promise;
import java.lang.System.Logger.Level;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.heptap.core.spi.StreamSecurity;

/**
 * TLS for one hep profile: one {@link SslContext} (JDK provider) built when the configuration is
 * read (a bad file is a configuration problem, see {@link TlsSecurityProvider}), and per
 * connection an {@link SslHandler} with host name verification (endpoint identification
 * "HTTPS": the certificate must name the collector) unless {@code verify: false}.
 */
final class TlsSecurity implements StreamSecurity {
    private static final System.Logger LOG = System.getLogger(TlsSecurity.class.getName());

    private final TlsSettings settings;
    private final SslContext context;

    TlsSecurity(TlsSettings settings, SslContext context) {
        this.settings = settings;
        this.context = context;
    }

    /** The client context of these settings; throws when a file cannot be loaded. */
    static SslContext context(TlsSettings settings) throws Exception {
        SslContextBuilder b =
                SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(settings.protocols());
        if (!settings.verify()) b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        else if (settings.ca() != null) b.trustManager(settings.ca().toFile());
        if (settings.cert() != null)
            b.keyManager(settings.cert().toFile(), settings.key().toFile());
        if (!settings.ciphers().isEmpty()) b.ciphers(settings.ciphers());
        return b.build();
    }

    TlsSettings settings() {
        return settings;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("tls ");
        if (!settings.verify()) sb.append("without verification");
        else sb.append("trusting ").append(settings.ca() != null ? settings.ca().toString() : "the system CAs");
        if (settings.cert() != null) sb.append(", client cert ").append(settings.cert());
        sb.append(", ").append(String.join("/", settings.protocols()));
        return sb.toString();
    }

    @Override
    public void start(String transportName, String collector) {
        if (!settings.verify()) {
            LOG.log(
                    Level.WARNING,
                    "transport {0}: tls verify: false: the certificate of {1} is not checked; anyone on the path can read and change the HEP traffic",
                    transportName,
                    collector);
        }
    }

    @Override
    public void secure(Channel channel, String host, int port, Promise<Void> ready) {
        String name = settings.serverName() != null ? settings.serverName() : host;
        SSLEngine engine = context.newEngine(channel.alloc(), name, port);
        if (settings.verify()) {
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(p);
        }
        SslHandler handler = new SslHandler(engine);
        handler.setHandshakeTimeoutMillis(0); // the transport's connect timeout covers the handshake
        channel.pipeline().addFirst("tls", handler);
        handler.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) ready.trySuccess(null);
            else ready.tryFailure(f.cause());
        });
    }
}
