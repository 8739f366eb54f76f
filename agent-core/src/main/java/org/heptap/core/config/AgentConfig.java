package org.heptap.core.config;

import java.util.List;
import java.util.Map;
import org.heptap.core.metrics.ModuleCounters;
import org.heptap.core.plan.FunctionRegistry;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.OperatorService;
import org.heptap.core.spi.Transport;

/**
 * A fully validated configuration: agent settings, socket profiles, transports built by their
 * providers (not yet started), the configured modules and the functions they export, and the
 * operator services (web page) configured from their sections (started by the composition root
 * at start only: a reload's services are validated, never started).
 */
public record AgentConfig(
        String file,
        AgentSettings agent,
        AgentContext context,
        List<SocketSettings> sockets,
        Map<String, Transport> transports,
        List<HeptapModule> modules,
        FunctionRegistry functions,
        OperationsSettings operations,
        List<OperatorService> services) {

    public AgentConfig(
            String file,
            AgentSettings agent,
            AgentContext context,
            List<SocketSettings> sockets,
            Map<String, Transport> transports,
            List<HeptapModule> modules,
            FunctionRegistry functions) {
        this(file, agent, context, sockets, transports, modules, functions, OperationsSettings.DEFAULTS, List.of());
    }

    /**
     * Releases what building this configuration opened, for one that never ran or stopped running
     * (a refused reload, a start that failed): every transport is closed — started or not, which
     * stops its threads and sockets — then every module. One that fails to close does not keep
     * the others open.
     */
    public void close() {
        closeAll(transports.values(), modules);
        for (OperatorService s : services) closeLogged("service " + s.describe(), s::close);
    }

    /** Closes {@code transports}, then {@code modules}, each whatever the others do (a failure is logged). */
    static void closeAll(java.util.Collection<Transport> transports, List<HeptapModule> modules) {
        for (Transport t : transports) closeLogged("transport " + t.name(), t::close);
        for (HeptapModule m : modules) closeLogged("module " + m.name(), m::close);
    }

    private static void closeLogged(String what, Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            System.getLogger(AgentConfig.class.getName()).log(System.Logger.Level.WARNING, what + ": close failed", e);
        }
    }

    /**
     * The counters this configuration's modules registered for the metrics endpoint (empty for a
     * configuration whose modules count into {@link org.heptap.core.spi.ModuleMeters#NONE}).
     */
    public ModuleCounters moduleCounters() {
        return context.meters() instanceof ModuleCounters c ? c : new ModuleCounters();
    }

    /** The same configuration with the control socket and metrics endpoint replaced (quick flags). */
    public AgentConfig withOperations(OperationsSettings ops) {
        return new AgentConfig(file, agent, context, sockets, transports, modules, functions, ops, services);
    }
}
