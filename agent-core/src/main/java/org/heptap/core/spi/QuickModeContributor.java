package org.heptap.core.spi;

import java.util.List;

/**
 * A module's part of a quick-flag run, heptap started without a configuration file the way
 * heplify is ({@code heptap -i eth0 -H udp:10.0.0.1:9060}): the options it adds to heptap's
 * command line, and the sockets, module settings, transports and built-in capture plans they
 * turn into. heptap's command line finds contributors with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.heptap.core.spi.QuickModeContributor}), a fresh instance per run.
 *
 * <p>For example a SIP module contributes the capture socket on SIP's ports and its plan, an
 * RTCP module {@code -m} and {@code --rtcp-nat}, a HEP module {@code -H} and the collector
 * transport the plans send to. agent-core writes none of these itself.
 */
public interface QuickModeContributor {
    /**
     * Its options on heptap's command line, in the order {@code --help} lists them, fresh at each
     * call (one command line owns them), each filling this contributor as it is given; built with
     * {@link QuickOptions}: plain descriptions, which the command line turns into picocli's
     * model only when it needs one (see there).
     */
    default List<QuickOption> options() {
        return List.of();
    }

    /**
     * Where its sockets and transports go among the others' (lower first): the order of the
     * sockets in logs, summaries and the ledger, which must not depend on the order of the jars
     * on the class path.
     */
    int rank();

    /** True when one of its options, as given, asks for a run without a configuration file. */
    boolean asksForQuickRun();

    /**
     * True when, as given, it runs a collector socket that is a whole run by itself: then no
     * capture socket is added unless {@code -i} or {@code -r} asks for one.
     */
    default boolean runsAlone() {
        return false;
    }

    /**
     * A combination of its options picocli cannot check, in the words of a usage error
     * ({@code --x needs --y}), or null when there is none.
     */
    default String misuse(QuickRun run) {
        return null;
    }

    /**
     * The words of {@code -m} it understands (what it captures, e.g. a protocol's name), joined
     * by {@code +} on the command line ({@code -m a+b}); heptap's command line has {@code -m} only
     * when some contributor names a word. A run without {@code -m} includes every word: see
     * {@link QuickRun#includes}.
     */
    default List<String> modeWords() {
        return List.of();
    }

    /** File names of its built-in capture plans: resources beside its class, named by its sockets. */
    default List<String> plans() {
        return List.of();
    }

    /**
     * Statements it adds to the built-in plans (any module's), by the name of the place a plan
     * marks with a line {@code # quick: NAME}: a run has such a statement, and the profile it
     * sends to, only when its options ask for it (e.g. {@code -w} adds {@code send_pcap}). A place
     * no contributor fills stays a comment.
     */
    default java.util.Map<String, String> planStatements() {
        return java.util.Map.of();
    }

    /**
     * The option behind each configuration key it writes ({@code sockets.NAME.listen} to
     * {@code --flag}), so a problem with a value names the option the operator typed instead of
     * a YAML line and key they never wrote.
     */
    default java.util.Map<String, String> flagsOfKeys() {
        return java.util.Map.of();
    }

    /** Writes its sockets, module settings and transports. */
    void contribute(QuickRun run, QuickYaml yaml);
}
