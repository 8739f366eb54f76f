package org.heptap.core.transport;

import java.time.ZoneId;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.Transport;
import org.heptap.core.spi.TransportProvider;

/**
 * {@code type: console}. Key {@code mode}: {@code auto} (print when stdout is a terminal, or when
 * the agent runs with --console), {@code always}, {@code never}.
 */
public final class ConsoleTransportProvider implements TransportProvider {
    /** Set by the command line's --console: print even when stdout is not a terminal. */
    private final boolean forced;

    public ConsoleTransportProvider(boolean forced) {
        this.forced = forced;
    }

    @Override
    public String type() {
        return "console";
    }

    @Override
    public Transport create(String name, ConfigNode profile, AgentContext agent) {
        String mode = profile.oneOf("mode", "auto", "auto", "always", "never");
        profile.finish();
        boolean enabled = switch (mode) {
            case "always" -> true;
            case "never" -> false;
            default -> forced || System.console() != null;
        };
        return new ConsoleTransport(name, enabled, System.out, ZoneId.systemDefault());
    }
}
