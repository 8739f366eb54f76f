package org.heptap.core.spi;

import org.heptap.core.config.ConfigNode;

/**
 * A service operators reach beside the capture path (the web page and its JSON API), configured
 * from a top-level section of {@code heptap.yaml} of its own ({@code web:}) and found with
 * {@link java.util.ServiceLoader} (own {@code META-INF/services} entry). The loader validates the
 * section with the rest of the configuration, so {@code --check} and a start report its problems
 * as {@code file:line: key: problem}; the composition root starts the service once the agent runs.
 */
public interface OperatorServiceProvider {
    /** The top-level key of the section, e.g. {@code web}. */
    String section();

    /**
     * Reads the section (an empty mapping when the YAML has none), reporting every wrong value
     * through it and calling {@link ConfigNode#finish()}. Returns null when the section leaves the
     * service off or has errors. Opens nothing: the service listens only when started.
     */
    OperatorService configure(ConfigNode section, OperatorSetup setup);
}
