package org.heptap.core.spi;

import org.heptap.core.config.ConfigNode;

/** Builds transports of one {@code type:} from their YAML profile. */
public interface TransportProvider {
    /** The value of {@code type:} this provider handles, e.g. {@code hep}. */
    String type();

    /**
     * Reads the profile (the {@code name} and {@code type} keys are already read) and returns the
     * transport, or null when the profile has errors (reported through {@code profile}). Call
     * {@link ConfigNode#finish()} to report unknown keys. Must not open sockets yet.
     */
    Transport create(String name, ConfigNode profile, AgentContext agent);
}
