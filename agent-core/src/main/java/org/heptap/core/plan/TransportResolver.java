package org.heptap.core.plan;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.heptap.core.spi.Transport;

/** The transport profiles a plan may send to, by name (as a send function's {@code ("name")} spells it). */
public interface TransportResolver {
    /** The transport with exactly this name (case-sensitive), or null. */
    Transport lookup(String name);

    /** Every configured name, for "did you mean" suggestions. */
    Set<String> names();

    /** Resolves among these transports by {@link Transport#name()}. */
    static TransportResolver of(Collection<? extends Transport> transports) {
        Map<String, Transport> byName = new LinkedHashMap<>();
        for (Transport t : transports) byName.putIfAbsent(t.name(), t);
        Set<String> names = Collections.unmodifiableSet(byName.keySet());
        return new TransportResolver() {
            @Override
            public Transport lookup(String name) {
                return byName.get(name);
            }

            @Override
            public Set<String> names() {
                return names;
            }
        };
    }

    /** No transports configured: every name is unknown. */
    static TransportResolver none() {
        return of(Set.of());
    }

    /**
     * Accepts every name, for checking a plan file without a configuration ({@code --check-plan
     * FILE}): each name resolves to a transport that sends nothing. Never use it to run a plan.
     */
    static TransportResolver acceptingAnyName() {
        return new TransportResolver() {
            @Override
            public Transport lookup(String name) {
                return new UncheckedTransport(name);
            }

            @Override
            public Set<String> names() {
                return Set.of();
            }
        };
    }
}
