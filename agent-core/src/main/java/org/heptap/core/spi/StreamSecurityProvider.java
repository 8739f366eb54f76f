package org.heptap.core.spi;

import org.heptap.core.config.ConfigNode;

/**
 * The hook through which another module (module-tls) secures a {@code proto: tls} stream
 * collector. It lives in agent-core so that the module with the collectors and the module with
 * TLS both reach it without depending on each other. Implementations are found with
 * {@link java.util.ServiceLoader} under this interface's name.
 */
public interface StreamSecurityProvider {
    /** The {@code proto:} value this provider serves, e.g. {@code tls}. */
    String proto();

    /**
     * Reads the profile's security section ({@code tls:}, possibly an empty mapping) and returns
     * what each connection needs, or null after reporting errors through {@code section}. Files
     * named there are checked now, so a bad path is a config error, not a runtime surprise.
     */
    StreamSecurity configure(String profileName, ConfigNode section);
}
