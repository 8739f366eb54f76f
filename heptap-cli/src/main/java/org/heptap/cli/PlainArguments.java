package org.heptap.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.heptap.core.spi.QuickOption;

/**
 * Reads a plain command line without picocli, whose first use costs every start ~50 ms of CPU
 * (class initialisation, the model, its ~40 built-in type converters) when an ordinary start
 * needs none of what it is for: help, usage errors, the completion script.
 *
 * <p>Plain means only forms whose meaning is beyond doubt: an option's exact name; a flag
 * without {@code =}; {@code --long=value}; a value option followed by a value that does not
 * start with {@code -}; a list option that takes one value per use, split as picocli splits a
 * value without quotes or empty items. Anything else (an unknown option, {@code -h}/{@code -V},
 * {@code -rFILE}, {@code --}, {@code @file}, a missing or empty value, quotes, a positional
 * argument, a list taking several values per use) is left to picocli whole, so every error and
 * every help output is picocli's. It fills the options as picocli would, in the same order with
 * the same values (PlainArgumentsTest holds it to that over a corpus of command lines).
 */
final class PlainArguments {
    private PlainArguments() {}

    /** Fills {@code options} from {@code args} and returns true, or leaves them as they are and returns false. */
    static boolean read(List<QuickOption> options, String[] args) {
        List<Runnable> steps = steps(options, args);
        if (steps == null) return false;
        for (Runnable step : steps) step.run();
        return true;
    }

    /** What {@code args} give each option, in order, or null when they are not plain. */
    static List<Runnable> steps(List<QuickOption> options, String[] args) {
        Map<String, QuickOption> byName = new HashMap<>();
        for (QuickOption o : options) {
            // help and version print and exit: picocli's
            if (o.names().contains("--help") || o.names().contains("--version")) continue;
            for (String n : o.names()) byName.put(n, o);
        }
        List<Runnable> steps = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String attached = null;
            int eq = name.indexOf('=');
            if (name.startsWith("--") && eq > 2) {
                attached = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            QuickOption o = byName.get(name);
            if (o == null) return null;
            if (o.kind() == QuickOption.Kind.FLAG) {
                if (attached != null) return null; // --flag=false: picocli's boolean conversion
                steps.add(o::give);
                continue;
            }
            String value = attached;
            if (value == null) {
                if (i + 1 == args.length || args[i + 1].startsWith("-")) return null; // missing, or an option
                value = args[++i];
            }
            if (!plain(value)) return null;
            if (o.kind() == QuickOption.Kind.VALUE) {
                String v = value;
                steps.add(() -> o.give(v));
            } else {
                List<String> items = items(o, value);
                if (items == null) return null;
                steps.add(() -> o.into().addAll(items));
            }
        }
        return steps;
    }

    /** A value read the same way by any parser: not empty, no quotes, no {@code @file}. */
    private static boolean plain(String value) {
        return !value.isEmpty() && value.indexOf('"') < 0 && value.indexOf('\'') < 0 && value.charAt(0) != '@';
    }

    /** A list option's items from one value, or null when it takes more than one value or an item is empty. */
    private static List<String> items(QuickOption o, String value) {
        if (!o.arity().equals("1")) return null;
        if (o.split().isEmpty()) return List.of(value);
        List<String> items = List.of(value.split(o.split(), -1));
        return items.contains("") ? null : items;
    }
}
