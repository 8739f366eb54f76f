package org.heptap.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.heptap.core.spi.QuickModeContributor;
import org.heptap.core.spi.QuickYaml;

/**
 * The configuration a quick-flag run uses (heplify style: {@code -i lo -H udp:host:9060}), written
 * as YAML and read by the same loader as a file, so flags and files are validated alike. The
 * agent's own part is here; the modules write their sockets, settings and transports.
 */
final class QuickConfig {
    /** How the built configuration is named in problems before {@link #asFlags} renames them. */
    static final String SOURCE = "(command line)";
    /** The options behind the keys the agent's own part sets. */
    private static final Map<String, String> AGENT_FLAGS =
            Map.of("agent.node-id", "--capture-id", "agent.node-name", "--node-name");

    private static final Pattern KEY_PROBLEM =
            Pattern.compile(Pattern.quote(SOURCE) + ":\\d+: (warning: )?([^ :]+?)(\\[\\d+\\])?: (.*)", Pattern.DOTALL);
    /** Made on first use; one per run (reloads reuse it), not per process: a second run in the same JVM has its own. */
    private Path planDir;

    /**
     * Turns a problem of the built configuration into one the operator can act on: {@code
     * --tls-key: FILE: problem} instead of {@code (command line):23: transports.hepsocket.tls.key:
     * FILE: problem}. The modules name the flags behind their keys; problems of keys no flag
     * sets stay as they are.
     */
    static UnaryOperator<String> asFlags(List<QuickModeContributor> contributors) {
        Map<String, String> flagOfKey = new HashMap<>(AGENT_FLAGS);
        for (QuickModeContributor q : contributors) flagOfKey.putAll(q.flagsOfKeys());
        return problem -> {
            Matcher m = KEY_PROBLEM.matcher(problem);
            if (!m.matches()) return problem;
            String flag = flagOfKey.get(m.group(2));
            if (flag == null) return problem;
            return flag + ": " + (m.group(1) != null ? m.group(1) : "") + m.group(4);
        };
    }

    static String yaml(CommandLine cl) {
        QuickYaml y = new QuickYaml();
        for (QuickModeContributor q : cl.contributors) q.contribute(cl.quickRun(), y);
        y.transports()
                .append("  console:\n    type: console\n    mode: ")
                .append(cl.console ? "always" : "never")
                .append('\n');
        StringBuilder agent = new StringBuilder("agent:\n");
        agent.append("  node-id: ")
                .append(cl.captureId != null ? cl.captureId : 2001)
                .append('\n');
        if (cl.nodeName != null)
            agent.append("  node-name: ").append(QuickYaml.quote(cl.nodeName)).append('\n');
        agent.append("  capture-plans: .\n");
        return y.document(agent.toString());
    }

    private static final Pattern PLACE = Pattern.compile("(?m)^([ \\t]*)# quick: (\\S+)[ \\t]*$");

    /**
     * A built-in plan with each {@code # quick: NAME} line replaced by the statements the
     * contributors add there (see {@link QuickModeContributor#planStatements}); a place none
     * fills stays a comment.
     */
    static String withStatements(String plan, List<QuickModeContributor> contributors) {
        return PLACE.matcher(plan).replaceAll(m -> {
            StringBuilder lines = new StringBuilder();
            for (QuickModeContributor q : contributors) {
                String statement = q.planStatements().get(m.group(2));
                if (statement == null) continue;
                if (!lines.isEmpty()) lines.append('\n');
                lines.append(m.group(1)).append(statement);
            }
            return Matcher.quoteReplacement(lines.isEmpty() ? m.group() : lines.toString());
        });
    }

    /**
     * Removes the plan folder this run wrote, if it wrote one: for a run that ends while the JVM
     * goes on (the live warm-up's rehearsal), whose folder would otherwise wait for the JVM's exit
     * and stay behind when the agent is killed.
     */
    synchronized void removePlans() {
        if (planDir == null) return;
        try (Stream<Path> files = Files.list(planDir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(planDir);
            planDir = null;
        } catch (IOException e) {
            // left for the JVM's exit (deleteOnExit), as before
        }
    }

    /** A folder holding the modules' built-in plans, written once per run. */
    synchronized Path planDir(List<QuickModeContributor> contributors) {
        if (planDir != null) return planDir;
        try {
            Path dir = Files.createTempDirectory("heptap-plan");
            dir.toFile().deleteOnExit();
            for (QuickModeContributor q : contributors) {
                for (String name : q.plans()) {
                    try (InputStream in = q.getClass().getResourceAsStream(name)) {
                        if (in == null)
                            throw new IOException(q.getClass().getName() + " names a plan it does not hold: " + name);
                        Path f = dir.resolve(name);
                        Files.writeString(
                                f, withStatements(new String(in.readAllBytes(), StandardCharsets.UTF_8), contributors));
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
