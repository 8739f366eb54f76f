package org.heptap.tls;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.spi.StreamSecurity;
import org.heptap.core.spi.StreamSecurityProvider;

/**
 * Reads a hep profile's {@code tls:} section:
 *
 * <pre>
 *   tls:
 *     ca: /etc/heptap/ca.pem        # trusted CAs (PEM); default: the system trust store
 *     cert: /etc/heptap/agent.pem   # client certificate (mutual TLS), with key
 *     key: /etc/heptap/agent.key    # PKCS#8 PEM, unencrypted
 *     verify: true                  # false turns off certificate and host name checks (warned at start)
 *     server-name: homer.example    # name to verify/SNI; default: the collector's host
 *     protocols: [TLSv1.3, TLSv1.2] # TLS 1.2 and newer only
 *     ciphers: []                   # default: the JDK's suites for those protocols
 * </pre>
 */
public final class TlsSecurityProvider implements StreamSecurityProvider {
    private static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    @Override
    public String proto() {
        return "tls";
    }

    /** Loads every file now, so a wrong one is a {@code file:line} problem of --check, not a failed start. */
    @Override
    public StreamSecurity configure(String profileName, ConfigNode section) {
        TlsSettings s = read(section);
        if (s == null) return null;
        try {
            return new TlsSecurity(s, TlsSecurity.context(s));
        } catch (Exception e) {
            section.error("cannot set up TLS with these files: " + e.getMessage());
            return null;
        }
    }

    static TlsSettings read(ConfigNode tls) {
        int errorsBefore = tls.problems().errors().size();
        Path ca = PemFiles.file(tls, "ca");
        Path cert = PemFiles.file(tls, "cert");
        Path key = PemFiles.file(tls, "key");
        if (tls.has("cert") != tls.has("key")) {
            tls.error((!tls.has("cert") ? "key" : "cert") + " is set without " + (!tls.has("cert") ? "cert" : "key")
                    + ": mutual TLS needs both the client certificate and its private key");
        }
        boolean verify = tls.bool("verify", true);
        if (!verify && ca != null)
            tls.child("verify").warning("false: the ca file is not used, any server certificate is accepted");
        String serverName = tls.string("server-name", null);
        List<String> protocols = tls.has("protocols") ? tls.strings("protocols") : TlsSettings.DEFAULT_PROTOCOLS;
        for (String p : protocols) {
            if (!ALLOWED_PROTOCOLS.contains(p)) {
                tls.child("protocols")
                        .error(p + " is not allowed: use TLSv1.2 and/or TLSv1.3 (older versions are broken)");
            }
        }
        if (protocols.isEmpty()) tls.child("protocols").error("must name at least one of TLSv1.2, TLSv1.3");
        List<String> ciphers = tls.strings("ciphers");
        tls.finish();
        if (ca != null) PemFiles.certificates(tls, "ca", ca);
        X509Certificate leaf = cert != null ? PemFiles.certificates(tls, "cert", cert) : null;
        if (key != null) PemFiles.checkKey(tls, "key", key, leaf);
        if (tls.problems().errors().size() > errorsBefore) return null;
        return new TlsSettings(ca, cert, key, verify, serverName, List.copyOf(protocols), List.copyOf(ciphers));
    }
}
