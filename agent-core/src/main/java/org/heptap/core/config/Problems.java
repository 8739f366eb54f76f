package org.heptap.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
}
