package org.heptap.core.spi;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Hooks one module offers others, owned by the configuration being built (through
 * {@link AgentContext#hooks()}): a module that builds on another's protocol (RTCP on SIP) finds
 * the other's hook here, by type, instead of in a static. Each configuration — including every
 * one a reload refuses — therefore has hooks of its own, and they go with it.
 */
public final class ModuleHooks {
    private final Map<Class<?>, Object> hooks = new HashMap<>();

    /** The configuration's hook of {@code type}, made with {@code create} by whichever module asks first. */
    public synchronized <T> T get(Class<T> type, Supplier<? extends T> create) {
        return type.cast(hooks.computeIfAbsent(type, k -> create.get()));
    }
}
