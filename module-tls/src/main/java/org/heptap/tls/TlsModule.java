package org.heptap.tls;

import java.util.List;
import org.heptap.core.spi.ConnectionLayerProvider;
import org.heptap.core.spi.HeptapModule;

/**
 * TLS for the listening side: collector sockets' {@code tls:HOST:PORT} entries (a HEP relay
 * that takes TLS from other agents). The sending side hooks into module hep's stream transports
 * through {@link TlsSecurityProvider} instead.
 */
public final class TlsModule implements HeptapModule {
    @Override
    public String name() {
        return "tls";
    }

    @Override
    public List<ConnectionLayerProvider> connectionLayers() {
        return List.of(new TlsListenerProvider());
    }

    /** captagent's TLS decryption of captured SIP, which heptap does not do. */
    @Override
    public java.util.Set<String> declinedFunctions() {
        return java.util.Set.of("parse_tls");
    }
}
