package org.heptap.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.spi.ConnectionLayer;
import org.heptap.core.spi.ConnectionLayerProvider;

/**
 * Reads a collector socket's {@code tls:} section (used by its {@code tls:HOST:PORT} entries):
 *
 * <pre>
 *   tls:
 *     cert: /etc/heptap/relay.pem       # certificate chain presented to senders (PEM), required
 *     key: /etc/heptap/relay.key        # its private key (PKCS#8 PEM, unencrypted), required
 *     client-ca: /etc/heptap/agents.pem # mutual TLS: CAs the senders' certificates must chain to
 *     require-client-cert: true         # default true with client-ca: no certificate, no entry
 *     protocols: [TLSv1.3, TLSv1.2]     # TLS 1.2 and newer only
 *     ciphers: []                       # default: the JDK's suites for those protocols
 * </pre>
 *
 * Everything is loaded here, at configuration time, so a wrong file is a {@code file:line: key:
 * problem} at start (or reload), not a failure of the first sender's handshake.
 */
final class TlsListenerProvider implements ConnectionLayerProvider {
    private static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    @Override
    public String scheme() {
        return "tls";
    }

    @Override
    public ConnectionLayer configure(String socketName, ConfigNode section) {
        TlsListenerSettings s = read(section);
        if (s == null) return null;
        try {
            return new TlsListener(s, context(s));
        } catch (Exception e) {
            section.error("cannot set up TLS with these files: " + e.getMessage());
            return null;
        }
    }

    /** The settings, or null when a problem was reported. */
    static TlsListenerSettings read(ConfigNode tls) {
        int errorsBefore = tls.problems().errors().size();
        Path cert = required(tls, "cert", "the certificate (chain, PEM) presented to senders");
        Path key = required(tls, "key", "the private key of cert (PKCS#8 PEM)");
        Path clientCa = PemFiles.file(tls, "client-ca");
        boolean require = tls.bool("require-client-cert", tls.has("client-ca"));
        if (require && !tls.has("client-ca")) {
            tls.child("require-client-cert")
                    .error("true needs client-ca: the CA certificates (PEM) client certificates must chain to");
        }
        List<String> protocols = tls.has("protocols") ? tls.strings("protocols") : TlsSettings.DEFAULT_PROTOCOLS;
        for (String p : protocols) {
            if (!ALLOWED_PROTOCOLS.contains(p)) {
                tls.child("protocols")
                        .error(p + " is not allowed: use TLSv1.2 and/or TLSv1.3 (older versions are broken)");
            }
        }
        if (protocols.isEmpty()) tls.child("protocols").error("must name at least one of TLSv1.2, TLSv1.3");
        List<String> ciphers = tls.strings("ciphers");
        checkCiphers(tls, ciphers);
        tls.finish();
        X509Certificate leaf = cert != null ? PemFiles.certificates(tls, "cert", cert) : null;
        if (clientCa != null) PemFiles.certificates(tls, "client-ca", clientCa);
        if (key != null) PemFiles.checkKey(tls, "key", key, leaf);
        if (tls.problems().errors().size() > errorsBefore) return null;
        return new TlsListenerSettings(cert, key, clientCa, require, List.copyOf(protocols), List.copyOf(ciphers));
    }

    static SslContext context(TlsListenerSettings s) throws Exception {
        SslContextBuilder b = SslContextBuilder.forServer(
                        s.cert().toFile(), s.key().toFile())
                .sslProvider(SslProvider.JDK)
                .protocols(s.protocols());
        if (s.clientCa() != null) {
            b.trustManager(s.clientCa().toFile())
                    .clientAuth(s.requireClientCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        if (!s.ciphers().isEmpty()) b.ciphers(s.ciphers());
        return b.build();
    }

    private static Path required(ConfigNode tls, String key, String what) {
        if (!tls.has(key)) {
            tls.error(key + " is required: " + what);
            return null;
        }
        return PemFiles.file(tls, key);
    }

    private static void checkCiphers(ConfigNode tls, List<String> ciphers) {
        if (ciphers.isEmpty()) return;
        Set<String> known;
        try {
            known = Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (GeneralSecurityException e) {
            return; // the context build reports it
        }
        for (String c : ciphers) {
            if (!known.contains(c))
                tls.child("ciphers")
                        .error(
                                c
                                        + " is not a cipher suite this Java knows (e.g. TLS_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
        }
    }
}
