package org.heptap.hep.transport;

import org.heptap.core.config.ConfigNode;

/**
 * The hook through which another module (module-tls) secures a {@code proto: tls} stream
 * collector, so module-hep needs no TLS code and no dependency on the module that has it.
 * Implementations are found with {@link java.util.ServiceLoader} under this interface's name.
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
