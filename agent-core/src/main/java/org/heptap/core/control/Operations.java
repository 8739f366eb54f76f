package org.heptap.core.control;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.Function;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.Problems;
import org.heptap.core.pipeline.Agent;

/**
 * What an operator can ask of a running agent, whether through the control socket or a signal:
 * reloading is serialised here so {@code SIGHUP} and {@code heptapctl reload} never overlap.
 */
public final class Operations {
    private static final Logger LOG = System.getLogger(Operations.class.getName());

    private final Agent agent;
    private final Function<Problems, AgentConfig> loader;
    private final String version;

    /** {@code loader} re-reads the configuration the agent started with, reporting into the given problems. */
    public Operations(Agent agent, Function<Problems, AgentConfig> loader, String version) {
        this.agent = agent;
        this.loader = loader;
        this.version = version;
    }

    public Agent agent() {
        return agent;
    }

    public String version() {
        return version;
    }

    /** Re-reads config and plans, validates all of it, and applies it or leaves the running one alone. */
    public synchronized Problems reload() {
        Problems problems = new Problems();
        AgentConfig next;
        try {
            next = loader.apply(problems);
        } catch (RuntimeException e) {
            problems.error("reload failed: " + e);
            next = null;
        }
        if (next != null && !problems.hasErrors()) {
            agent.reload(next, problems);
        } else if (next != null) {
            next.close(); // built, then refused by the loader's caller (e.g. a bad --metrics): it never runs
        }
        problems.warnings().forEach(w -> LOG.log(Level.WARNING, "reload: " + w));
        if (problems.hasErrors()) {
            problems.errors().forEach(e -> LOG.log(Level.ERROR, "reload refused: " + e));
            LOG.log(
                    Level.ERROR,
                    "reload refused (" + problems.errors().size() + " problem(s)); the running configuration stays");
        } else {
            LOG.log(Level.INFO, "reload done: " + agent.config().file());
        }
        return problems;
    }

    /**
     * Reloads on SIGHUP (systemctl reload). sun.misc.Signal is the only way in Java 17 to catch
     * a signal without native code; it lives in the jdk.unsupported module, which stays
     * exported on purpose for this use. The handler only starts a thread: the reload itself
     * never runs on the signal dispatcher.
     */
    @SuppressWarnings("restriction")
    public void handleSighup() {
        if (IgnoredSignals.ignored(IgnoredSignals.SIGHUP)) {
            // the JVM would keep it ignored: say so, rather than leave a SIGHUP to do nothing
            LOG.log(
                    Level.WARNING,
                    "SIGHUP is ignored by this process (started under nohup?), so it cannot reload the "
                            + "configuration; reload with heptapctl reload");
            return;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                LOG.log(Level.INFO, "SIGHUP: reloading");
                Thread t = new Thread(this::reload, "reload");
                t.setDaemon(true);
                t.start();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "cannot handle SIGHUP here (" + e.getMessage() + "); reload with heptapctl reload");
        }
    }
}
