package org.heptap.core.spi;

import java.util.List;
import java.util.function.Consumer;

/**
 * The options of {@link QuickModeContributor#options}: plain descriptions that heptap's command
 * line turns into picocli's model when it needs one (help, a usage error, the completion
 * script), not picocli objects, whose classes cost every start ~50 ms of CPU even when a plain
 * command line needs none of them.
 */
public final class QuickOptions {
    private QuickOptions() {}

    /** An option with a value ({@code names} separated by spaces); {@code to} gets it each time it is given. */
    public static QuickOption value(String names, String label, String description, Consumer<String> to) {
        return new QuickOption(names, label, description, QuickOption.Kind.VALUE, null, null, to, null, null);
    }

    /** A flag without a value; {@code given} runs when it is on the command line. */
    public static QuickOption flag(String names, String description, Runnable given) {
        return new QuickOption(names, null, description, QuickOption.Kind.FLAG, null, null, null, given, null);
    }

    /**
     * An option given once or more, each value split at {@code split} (a regex; "" for none), one
     * at least ({@code arity}, e.g. "1" or "1..*" per use), all collected in {@code into}.
     */
    public static QuickOption list(
            String names, String label, String split, String arity, String description, List<String> into) {
        return new QuickOption(names, label, description, QuickOption.Kind.LIST, split, arity, null, null, into);
    }
}
