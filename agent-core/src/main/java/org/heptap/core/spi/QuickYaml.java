package org.heptap.core.spi;

/**
 * The configuration of a quick-flag run as it is written, section by section, before it is
 * read by the same loader as a file, so flags and files are validated alike. Contributors
 * append lines indented as under their section key ({@code "  name:\n    key: value\n"}).
 */
public final class QuickYaml {
    private final StringBuilder collectorSockets = new StringBuilder();
    private final StringBuilder captureSockets = new StringBuilder();
    private final StringBuilder modules = new StringBuilder();
    private final StringBuilder transports = new StringBuilder();

    /** Entries under {@code sockets:} of {@code type: collector}; they come first. */
    public StringBuilder collectorSockets() { return collectorSockets; }

    /** Entries under {@code sockets:} that capture. */
    public StringBuilder captureSockets() { return captureSockets; }

    /** Entries under {@code modules:}. */
    public StringBuilder modules() { return modules; }

    /** Entries under {@code transports:}. */
    public StringBuilder transports() { return transports; }

    /** A YAML scalar in single quotes, which keeps {@code :}, {@code #} and the like literal. */
    public static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** {@code agent} (written by the caller), then the sockets, modules and transports sections. */
    public String document(String agentSection) {
        StringBuilder y = new StringBuilder(agentSection);
        y.append("sockets:\n").append(collectorSockets).append(captureSockets);
        if (!modules.isEmpty()) y.append("modules:\n").append(modules);
        y.append("transports:\n").append(transports);
        return y.toString();
    }
}
