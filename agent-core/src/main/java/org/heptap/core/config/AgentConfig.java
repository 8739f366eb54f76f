package org.heptap.core.config;

import java.util.List;
import java.util.Map;
import org.heptap.core.plan.FunctionRegistry;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.Transport;

/**
 * A fully validated configuration: agent settings, socket profiles, transports built by their
 * providers (not yet started), the configured modules and the functions they export.
 */
public record AgentConfig(
        String file,
        AgentSettings agent,
        AgentContext context,
        List<SocketSettings> sockets,
        Map<String, Transport> transports,
        List<HeptapModule> modules,
        FunctionRegistry functions) {}
