package org.heptap.core.config;

import java.nio.file.Path;

/**
 * The {@code agent:} section.
 *
 * @param nodeId        numeric node id; default capture id every transport sends
 * @param nodeName      node name transports send unless one overrides it
 * @param logLevel      error, warning, info or debug
 * @param capturePlans  folder of capture plans; {@code capture-plan} names are relative to it
 * @param warmUp        before live capture, rehearse on the bundled sample so the packet path is
 *                      compiled before traffic (the composition root does it)
 */
public record AgentSettings(long nodeId, String nodeName, String logLevel, Path capturePlans, boolean warmUp) {}
