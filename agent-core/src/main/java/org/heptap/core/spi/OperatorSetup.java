package org.heptap.core.spi;

import java.util.Map;

/**
 * What an operator service may use while it is configured.
 *
 * @param connectionLayers the modules' connection layers by scheme ({@code tls}), e.g. for HTTPS
 * @param listenFlag       the command-line flag that replaces the section's listen address
 *                         (e.g. {@code --web}), or null
 * @param listenOverride   that flag's value ({@code HOST:PORT}), or null when not given
 */
public record OperatorSetup(
        Map<String, ConnectionLayerProvider> connectionLayers, String listenFlag, String listenOverride) {
    public OperatorSetup {
        connectionLayers = Map.copyOf(connectionLayers);
    }
}
