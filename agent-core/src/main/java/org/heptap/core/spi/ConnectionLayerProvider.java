package org.heptap.core.spi;

import org.heptap.core.config.ConfigNode;

/**
 * Offers a {@link ConnectionLayer} to collector sockets (exported by
 * {@link HeptapModule#connectionLayers()}). A socket uses it when one of its listen entries is
 * {@code <scheme>:HOST:PORT}; its settings are the socket's {@code <scheme>:} section.
 */
public interface ConnectionLayerProvider {
    /** The listen scheme and the name of the socket's section, e.g. {@code tls}. */
    String scheme();

    /**
     * Reads a socket's section, reporting every wrong value through it ({@link ConfigNode#error},
     * {@code file:line: key: problem}) and calling {@link ConfigNode#finish()}. Returns null when
     * there were errors.
     */
    ConnectionLayer configure(String socketName, ConfigNode section);
}
