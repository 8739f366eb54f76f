package org.heptap.tls;

import java.util.Locale;

/** Says why a sender's TLS handshake failed, in terms an operator can act on. */
final class TlsFailureReason {
    private TlsFailureReason() {}

    static String of(Throwable e) {
        String m = deepest(e);
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("empty client certificate chain") || lower.contains("certificate_required")) {
            return "sent no client certificate (tls.require-client-cert is on; some clients send theirs only when a CA in tls.client-ca issued it)";
        }
        if (lower.contains("pkix path")
                || lower.contains("unable to find valid certification path")
                || lower.contains("signature check failed")) {
            return "its client certificate is not issued by a CA in tls.client-ca (" + m + ")";
        }
        if (lower.contains("received fatal alert: unknown_ca")
                || lower.contains("received fatal alert: certificate_unknown")
                || lower.contains("received fatal alert: bad_certificate")) {
            return "it does not trust our certificate (tls.cert): " + m.substring(m.indexOf("alert:") + 7)
                    + " (give it the CA that signed tls.cert)";
        }
        if (lower.contains("insufficient buffer remaining for aead cipher fragment (2)")) {
            // a 2-byte record where an encrypted one belongs: an alert in the clear, which OpenSSL
            // clients send on TLS 1.3 when our certificate fails their verification
            return "it aborted the handshake with an unencrypted alert (OpenSSL does so when it does not trust our "
                    + "certificate, tls.cert: give it the CA that signed it)";
        }
        if (lower.contains("unsupported or unrecognized ssl message")
                || lower.contains("plaintext connection")
                || lower.startsWith("not an ssl/tls record")) { // the JDK's words, and Netty's (NotSslRecordException)
            return "it does not speak TLS (plain TCP to a tls: listener?)";
        }
        if (lower.contains("protocol")
                && (lower.contains("not enabled")
                        || lower.contains("not supported")
                        || lower.contains("protocol_version"))) {
            return "no common TLS version (tls.protocols): " + m;
        }
        if (lower.contains("no cipher suites in common") || lower.contains("handshake_failure")) {
            return "no common cipher suite (tls.ciphers): " + m;
        }
        return m;
    }

    private static String deepest(Throwable e) {
        String m = e.getMessage();
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) m = c.getMessage();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
