package org.heptap.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Problems found while checking a configuration or a capture plan, each already formatted for an
 * operator as {@code file:line[:col]: message}. One instance belongs to one check run.
 */
public final class Problems {
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    public void error(String file, int line, String message) {
        errors.add(file + ":" + line + ": " + message);
    }

    public void error(String file, int line, int column, String message) {
        errors.add(file + ":" + line + ":" + column + ": " + message);
    }

    /** An error without a position (e.g. a file that cannot be read). */
    public void error(String message) {
        errors.add(message);
    }

    public void warning(String file, int line, int column, String message) {
        warnings.add(file + ":" + line + ":" + column + ": warning: " + message);
    }

    public void warning(String file, int line, String message) {
        warnings.add(file + ":" + line + ": warning: " + message);
    }

    public boolean hasErrors() { return !errors.isEmpty(); }
    public List<String> errors() { return Collections.unmodifiableList(errors); }
    public List<String> warnings() { return Collections.unmodifiableList(warnings); }

    public void addAll(Problems other) {
        errors.addAll(other.errors);
        warnings.addAll(other.warnings);
    }

    /**
     * Adds {@code other}'s problems, each passed through {@code rename} (e.g. to name the flag that
     * set a key); problems that become the same are added once.
     */
    public void addAll(Problems other, UnaryOperator<String> rename) {
        for (String e : other.errors) addOnce(errors, rename.apply(e));
        for (String w : other.warnings) addOnce(warnings, rename.apply(w));
    }

    private static void addOnce(List<String> list, String message) {
        if (!list.contains(message)) list.add(message);
    }
}
