package org.heptap.core.spi;

/**
 * Agent-wide settings that modules may need.
 *
 * @param nodeId    numeric node id ({@code agent.node-id}); default HEP capture id
 * @param nodeName  node name ({@code agent.node-name}); default HEP node name, may be empty
 * @param offline   true when packets come from a file: transports then wait for queue space
 *                  instead of dropping, because nothing upstream can overflow
 */
public record AgentContext(long nodeId, String nodeName, boolean offline) {}
