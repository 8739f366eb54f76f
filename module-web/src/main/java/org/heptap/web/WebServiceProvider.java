package org.heptap.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.PasswordHash;
import org.heptap.core.spi.ConnectionLayer;
import org.heptap.core.spi.ConnectionLayerProvider;
import org.heptap.core.spi.OperatorService;
import org.heptap.core.spi.OperatorServiceProvider;
import org.heptap.core.spi.OperatorSetup;

/**
 * Reads the {@code web:} section (every key is documented in {@code conf/heptap.yaml}):
 *
 * <pre>
 *   web:
 *     listen: 127.0.0.1:8090        # or a bare port (loopback); off when absent
 *     token: LONG-RANDOM-STRING     # Authorization: Bearer TOKEN (or Basic, any user, TOKEN as password)
 *     users:                        # HTTP Basic; hashes from heptap --hash-password
 *       admin: pbkdf2-sha256:100000:SALT:HASH
 *     tls: { cert: FILE, key: FILE }  # HTTPS (module-tls), the keys of a collector's tls: section
 *     max-connections: 64
 *     request-timeout: 10s
 *     max-request: 16k
 *     rate-interval: 10s
 * </pre>
 *
 * A listen address off loopback without a token or users is refused: the page shows what the
 * agent captured, which is not for everyone on the network.
 */
public final class WebServiceProvider implements OperatorServiceProvider {
    @Override
    public String section() {
        return "web";
    }

    @Override
    public OperatorService configure(ConfigNode web, OperatorSetup setup) {
        WebSettings s = read(web, setup);
        return s == null ? null : new WebServer(s);
    }

    /** The settings, or null when the section leaves the server off or has errors (reported). */
    static WebSettings read(ConfigNode web, OperatorSetup setup) {
        int errorsBefore = web.problems().errors().size();
        ConfigNode listenNode = web.child("listen");
        String listenText = listenNode == null ? null : listenNode.text();
        String token = web.string("token", "");
        if (token == null || token.isEmpty()) {
            token = null; // empty: no token
        } else if (token.length() < 16) {
            web.child("token").error("is shorter than 16 characters: anyone could guess it");
            token = null;
        }
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        ConfigNode usersNode = web.section("users");
        for (Map.Entry<String, ConfigNode> u : usersNode.children().entrySet()) {
            String hash = u.getValue().text();
            if (hash == null) continue;
            try {
                users.put(u.getKey(), PasswordHash.parse(hash));
            } catch (IllegalArgumentException e) {
                u.getValue().error(e.getMessage());
            }
        }
        ConnectionLayer tls = null;
        if (web.has("tls")) {
            ConfigNode tlsNode = web.section("tls");
            ConnectionLayerProvider p = setup.connectionLayers().get("tls");
            if (p == null) tlsNode.error("no module provides TLS (module-tls is not on the class path)");
            else tls = p.configure("web", tlsNode);
        }
        int maxConnections = (int) web.integer("max-connections", WebSettings.DEFAULT_MAX_CONNECTIONS, 1, 10_000);
        Duration requestTimeout = web.duration("request-timeout", WebSettings.DEFAULT_REQUEST_TIMEOUT);
        long maxRequest = web.size("max-request", WebSettings.DEFAULT_MAX_REQUEST);
        if (maxRequest < 1024 || maxRequest > 1 << 20) {
            web.child("max-request").error(maxRequest + " bytes is outside 1k-1MB");
        }
        Duration rateInterval = web.duration("rate-interval", WebSettings.DEFAULT_RATE_INTERVAL);
        if (rateInterval.toMillis() < 1000 || rateInterval.compareTo(WebSettings.RATE_WINDOW) > 0) {
            web.child("rate-interval").error("must be between 1s and 15m");
        }
        if (requestTimeout.toMillis() < 100) web.child("request-timeout").error("must be at least 100ms");
        web.finish();

        ListenAddress listen = null;
        String where;
        if (setup.listenOverride() != null) {
            where = setup.listenFlag() + " " + setup.listenOverride();
            try {
                listen = ListenAddress.parse(setup.listenOverride());
            } catch (IllegalArgumentException e) {
                web.problems().error(where + ": " + e.getMessage());
                return null;
            }
        } else if (listenText != null && !listenText.isBlank()) {
            where = listenText;
            try {
                listen = ListenAddress.parse(listenText);
            } catch (IllegalArgumentException e) {
                listenNode.error(listenText + " " + e.getMessage());
            }
        } else {
            return null; // no listen address: the web server is off
        }
        if (listen != null && !listen.loopback() && token == null && users.isEmpty()) {
            String why = where + " is not a loopback address: set web.token or web.users"
                    + " (what the agent captured is not for everyone on the network)";
            if (setup.listenOverride() != null) web.problems().error(why);
            else listenNode.error(why);
        }
        if (web.problems().errors().size() > errorsBefore || listen == null) return null;
        return new WebSettings(
                listen, token, users, tls, maxConnections, requestTimeout, (int) maxRequest, rateInterval);
    }
}
