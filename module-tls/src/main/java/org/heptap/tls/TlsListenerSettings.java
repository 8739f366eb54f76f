package org.heptap.tls;

import java.nio.file.Path;
import java.util.List;

/**
 * A collector socket's {@code tls:} section after validation (the listening side of TLS).
 *
 * @param cert              the certificate chain heptap presents (PEM), leaf first
 * @param key               its private key (PEM, PKCS#8 unencrypted)
 * @param clientCa          CA certificates (PEM) client certificates must chain to; null: none asked
 * @param requireClientCert refuse a client without a certificate from {@code clientCa} (mutual TLS);
 *                          false with a client CA: a certificate is asked for and checked if sent
 * @param protocols         enabled protocol versions (default TLSv1.3 and TLSv1.2)
 * @param ciphers           enabled cipher suites, or empty for the JDK's defaults for those protocols
 */
public record TlsListenerSettings(
        Path cert, Path key, Path clientCa, boolean requireClientCert, List<String> protocols, List<String> ciphers) {}
