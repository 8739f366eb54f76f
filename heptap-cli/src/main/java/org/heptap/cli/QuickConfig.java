package org.heptap.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.heptap.core.spi.QuickModeContributor;
import org.heptap.core.spi.QuickYaml;

/**
 * The configuration a quick-flag run uses (heplify style: {@code -i lo -H udp:host:9060}), written
 * as YAML and read by the same loader as a file, so flags and files are validated alike. The
 * agent's own part is here; the modules write their sockets, settings and transports.
 */
final class QuickConfig {
    private static Path planDir;

    private QuickConfig() {}

    static String yaml(CommandLine cl) {
        QuickYaml y = new QuickYaml();
        for (QuickModeContributor q : cl.contributors) q.contribute(cl.quickRun(), y);
        y.transports().append("  console:\n    type: console\n    mode: ").append(cl.console ? "always" : "never").append('\n');
        StringBuilder agent = new StringBuilder("agent:\n");
        agent.append("  node-id: ").append(cl.captureId != null ? cl.captureId : 2001).append('\n');
        if (cl.nodeName != null) agent.append("  node-name: ").append(QuickYaml.quote(cl.nodeName)).append('\n');
        agent.append("  capture-plans: .\n");
        return y.document(agent.toString());
    }

    /** A folder holding the modules' built-in plans, written once per process. */
    static synchronized Path planDir(List<QuickModeContributor> contributors) {
        if (planDir != null) return planDir;
        try {
            Path dir = Files.createTempDirectory("heptap-plan");
            dir.toFile().deleteOnExit();
            for (QuickModeContributor q : contributors) {
                for (String name : q.plans()) {
                    try (InputStream in = q.getClass().getResourceAsStream(name)) {
                        if (in == null) throw new IOException(q.getClass().getName() + " names a plan it does not hold: " + name);
                        Path f = dir.resolve(name);
                        Files.write(f, in.readAllBytes());
                        f.toFile().deleteOnExit();
                    }
                }
            }
            planDir = dir;
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
