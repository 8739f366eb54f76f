package org.heptap.core.spi;

import java.util.HashSet;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

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
    private final Set<String> notes = new HashSet<>();

    /**
     * The note of a flag asking for NAT matching: a module that matches media to SDP by address
     * does so by port, then SSRC, too (one flag for every module that follows media).
     */
    public static final String NAT_MATCHING = "nat-matching";

    /** Entries under {@code sockets:} of {@code type: collector}; they come first. */
    public StringBuilder collectorSockets() {
        return collectorSockets;
    }

    /** Entries under {@code sockets:} that capture. */
    public StringBuilder captureSockets() {
        return captureSockets;
    }

    /** Entries under {@code modules:}. */
    public StringBuilder modules() {
        return modules;
    }

    /**
     * Leaves {@code note} for the contributors ranked after this one: what a flag of one module
     * asks of others (e.g. {@link #NAT_MATCHING}), without their knowing each other's flags.
     */
    public void note(String note) {
        notes.add(note);
    }

    /** Whether a contributor ranked earlier left {@code note}. */
    public boolean noted(String note) {
        return notes.contains(note);
    }

    /** Entries under {@code transports:}. */
    public StringBuilder transports() {
        return transports;
    }

    /**
     * A YAML scalar that reads back as exactly {@code s}: {@code :}, {@code #}, quotes and line
     * breaks included (single quotes would fold a line break into a space), written by SnakeYAML.
     */
    public static String quote(String s) {
        DumperOptions o = new DumperOptions();
        o.setDefaultScalarStyle(DumperOptions.ScalarStyle.DOUBLE_QUOTED);
        o.setWidth(Integer.MAX_VALUE); // one line, however long
        return new Yaml(o).dump(s).stripTrailing();
    }

    /**
     * Appends the line {@code indentedKey: "value"} to {@code y}, the value written by
     * {@link #quote}; nothing when {@code value} is null (a flag not given). Returns {@code y}.
     */
    public static StringBuilder scalar(StringBuilder y, String indentedKey, String value) {
        if (value != null)
            y.append(indentedKey).append(": ").append(quote(value)).append('\n');
        return y;
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
