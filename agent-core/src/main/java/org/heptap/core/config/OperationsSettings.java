package org.heptap.core.config;

/**
 * The {@code control:} and {@code metrics:} sections: how operators reach a running agent.
 *
 * @param controlSocket path of the control socket heptapctl talks to; empty: no control socket
 * @param metricsHost   address the Prometheus endpoint listens on; empty: metrics off (default)
 * @param metricsPort   its port
 */
public record OperationsSettings(String controlSocket, String metricsHost, int metricsPort) {
    public static final String DEFAULT_CONTROL_SOCKET = "/run/heptap/heptap.sock";
    public static final OperationsSettings DEFAULTS = new OperationsSettings(DEFAULT_CONTROL_SOCKET, "", 0);

    public boolean metricsEnabled() {
        return !metricsHost.isEmpty();
    }

    /** Parses {@code HOST:PORT} ({@code [::1]:9096} for IPv6); null when it is not one. */
    public static OperationsSettings withMetrics(OperationsSettings base, String hostPort) {
        if (hostPort == null) return base;
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) return null;
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65535 || host.isEmpty()) return null;
            return new OperationsSettings(base.controlSocket(), host, port);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public OperationsSettings withControlSocket(String path) {
        return path == null ? this : new OperationsSettings(path, metricsHost, metricsPort);
    }
}
