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
        FunctionRegistry functions,
        OperationsSettings operations) {

    public AgentConfig(String file, AgentSettings agent, AgentContext context, List<SocketSettings> sockets,
                       Map<String, Transport> transports, List<HeptapModule> modules, FunctionRegistry functions) {
        this(file, agent, context, sockets, transports, modules, functions, OperationsSettings.DEFAULTS);
    }

    /** The same configuration with the control socket and metrics endpoint replaced (quick flags). */
    public AgentConfig withOperations(OperationsSettings ops) {
        return new AgentConfig(file, agent, context, sockets, transports, modules, functions, ops);
    }
}
