package org.heptap.tls;

import java.nio.file.Path;
import java.util.List;

/**
 * A profile's {@code tls:} section after validation.
 *
 * @param ca         PEM file of trusted CA certificates, or null for the system trust store
 * @param cert       client certificate chain (PEM) for mutual TLS, or null
 * @param key        its private key (PEM, PKCS#8 unencrypted), or null
 * @param verify     check the collector's certificate and host name; false only when set explicitly
 * @param serverName the name to verify and send as SNI; null = the collector's host
 * @param protocols  enabled protocol versions (default TLSv1.3 and TLSv1.2)
 * @param ciphers    enabled cipher suites, or empty for the JDK's defaults for those protocols
 */
public record TlsSettings(
        Path ca, Path cert, Path key, boolean verify, String serverName, List<String> protocols, List<String> ciphers) {
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
}
