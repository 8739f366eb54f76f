package org.heptap.core.spi;

import java.util.List;

/**
 * Agent-wide settings that modules may need.
 *
 * @param nodeId       numeric node id ({@code agent.node-id}); default HEP capture id
 * @param nodeName     node name ({@code agent.node-name}); default HEP node name, may be empty
 * @param offline      true when packets come from a file: transports then wait for queue space
 *                     instead of dropping, because nothing upstream can overflow
 * @param fieldWriters every module's {@link MessageFieldWriter}s, for transports that describe
 *                     a message field by field (JSON); empty while modules are being configured
 * @param meters       where modules register the counters they add to the metrics endpoint
 * @param hooks        what modules of this configuration offer each other (e.g. SIP's parse listeners)
 */
public record AgentContext(
        long nodeId,
        String nodeName,
        boolean offline,
        List<MessageFieldWriter> fieldWriters,
        ModuleMeters meters,
        ModuleHooks hooks) {
    public AgentContext {
        fieldWriters = List.copyOf(fieldWriters);
    }

    /** Settings whose module counters nobody reads ({@link ModuleMeters#NONE}), with hooks of their own. */
    public AgentContext(long nodeId, String nodeName, boolean offline) {
        this(nodeId, nodeName, offline, List.of(), ModuleMeters.NONE);
    }

    public AgentContext(long nodeId, String nodeName, boolean offline, List<MessageFieldWriter> fieldWriters) {
        this(nodeId, nodeName, offline, fieldWriters, ModuleMeters.NONE);
    }

    /** Settings of a new configuration: its hooks start empty. */
    public AgentContext(
            long nodeId, String nodeName, boolean offline, List<MessageFieldWriter> fieldWriters, ModuleMeters meters) {
        this(nodeId, nodeName, offline, fieldWriters, meters, new ModuleHooks());
    }

    /** The same settings (and hooks) with the modules' field writers, once the modules are configured. */
    public AgentContext withFieldWriters(List<MessageFieldWriter> writers) {
        return new AgentContext(nodeId, nodeName, offline, writers, meters, hooks);
    }
}
