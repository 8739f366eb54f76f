package org.heptap.web;

import java.time.Duration;
import java.util.Map;
import org.heptap.core.config.PasswordHash;
import org.heptap.core.spi.ConnectionLayer;

/**
 * The {@code web:} section, validated.
 *
 * @param listen          where to listen
 * @param token           a bearer token that grants access, or null
 * @param users           user names and their password hashes (HTTP Basic)
 * @param tls             HTTPS (module-tls's layer) when a certificate is configured, else null
 * @param maxConnections  open connections at once; more are closed as soon as accepted
 * @param requestTimeout  how long a connection may take to send a whole request (and may stay
 *                        idle between requests) before it is closed
 * @param maxRequestBytes largest request (line, headers and body); larger ones get 413/431 and are closed
 * @param rateInterval    how often the rate charts take a sample (15 minutes of them are kept)
 */
record WebSettings(
        ListenAddress listen,
        String token,
        Map<String, PasswordHash> users,
        ConnectionLayer tls,
        int maxConnections,
        Duration requestTimeout,
        int maxRequestBytes,
        Duration rateInterval) {
    static final int DEFAULT_MAX_CONNECTIONS = 64;
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final int DEFAULT_MAX_REQUEST = 16 * 1024;
    static final Duration DEFAULT_RATE_INTERVAL = Duration.ofSeconds(10);
    /** The rate charts' span. */
    static final Duration RATE_WINDOW = Duration.ofMinutes(15);

    WebSettings {
        users = Map.copyOf(users);
    }

    boolean authenticated() {
        return token != null || !users.isEmpty();
    }
}
