package org.heptap.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
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
        Path clientCa = TlsSecurityProvider.file(tls, "client-ca");
        boolean require = tls.bool("require-client-cert", tls.has("client-ca"));
        if (require && !tls.has("client-ca")) {
            tls.child("require-client-cert").error("true needs client-ca: the CA certificates (PEM) client certificates must chain to");
        }
        List<String> protocols = tls.has("protocols") ? tls.strings("protocols") : TlsSettings.DEFAULT_PROTOCOLS;
        for (String p : protocols) {
            if (!ALLOWED_PROTOCOLS.contains(p)) {
                tls.child("protocols").error(p + " is not allowed: use TLSv1.2 and/or TLSv1.3 (older versions are broken)");
            }
        }
        if (protocols.isEmpty()) tls.child("protocols").error("must name at least one of TLSv1.2, TLSv1.3");
        List<String> ciphers = tls.strings("ciphers");
        checkCiphers(tls, ciphers);
        tls.finish();
        X509Certificate leaf = cert != null ? certificates(tls, "cert", cert) : null;
        if (clientCa != null) certificates(tls, "client-ca", clientCa);
        if (key != null) checkKey(tls, key, leaf);
        if (tls.problems().errors().size() > errorsBefore) return null;
        return new TlsListenerSettings(cert, key, clientCa, require, List.copyOf(protocols), List.copyOf(ciphers));
    }

    static SslContext context(TlsListenerSettings s) throws Exception {
        SslContextBuilder b = SslContextBuilder.forServer(s.cert().toFile(), s.key().toFile())
                .sslProvider(SslProvider.JDK).protocols(s.protocols());
        if (s.clientCa() != null) {
            b.trustManager(s.clientCa().toFile()).clientAuth(s.requireClientCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        if (!s.ciphers().isEmpty()) b.ciphers(s.ciphers());
        return b.build();
    }

    private static Path required(ConfigNode tls, String key, String what) {
        if (!tls.has(key)) {
            tls.error(key + " is required: " + what);
            return null;
        }
        return TlsSecurityProvider.file(tls, key);
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
            if (!known.contains(c)) tls.child("ciphers").error(c + " is not a cipher suite this Java knows (e.g. TLS_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
        }
    }

    /** The certificates of a PEM file (the first returned), or null with the problem reported. */
    private static X509Certificate certificates(ConfigNode tls, String key, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (all.isEmpty()) {
                tls.child(key).error(file + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
                return null;
            }
            return (X509Certificate) all.iterator().next();
        } catch (Exception e) {
            tls.child(key).error(file + ": not a PEM certificate: " + e.getMessage());
            return null;
        }
    }

    /** The key must be PKCS#8 PEM and belong to the certificate (a test signature verifies). */
    private static void checkKey(ConfigNode tls, Path file, X509Certificate leaf) {
        PrivateKey key;
        try {
            key = privateKey(Files.readString(file));
        } catch (Exception e) {
            tls.child("key").error(file + ": not an unencrypted PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----; convert with "
                    + "openssl pkcs8 -topk8 -nocrypt): " + e.getMessage());
            return;
        }
        if (leaf != null && !belongs(key, leaf.getPublicKey())) {
            tls.child("key").error(file + ": is not the private key of the certificate in cert (" + leaf.getSubjectX500Principal() + ")");
        }
    }

    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new GeneralSecurityException(pem.contains("ENCRYPTED") ? "the key is encrypted" : "no -----BEGIN PRIVATE KEY----- block");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        List<String> tried = new ArrayList<>();
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                tried.add(algorithm);
            }
        }
        throw new GeneralSecurityException("not a key of a known algorithm (" + String.join(", ", tried) + ")");
    }

    private static boolean belongs(PrivateKey key, PublicKey pub) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] data = "heptap key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(data);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(pub);
            verify.update(data);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a different algorithm than the certificate's: not its key
        }
    }
}
