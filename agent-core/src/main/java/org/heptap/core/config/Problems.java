package org.heptap.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Problems found while checking a configuration or a capture plan, each already formatted for an
 * operator as {@code file:line[:col]: message}. One instance belongs to one check run.
 *
 * <p>Read back, they are sorted by file, then line, then column (problems without a position
 * first, in the order found), so an operator fixes a file top to bottom whatever order the
 * checks ran in. A warning reported twice (a plan compiled for two sockets, a check made by both
 * the compiler and a module) is listed once; errors are all kept, since callers count them to
 * tell whether a check of theirs failed.
 */
public final class Problems {
    /** Problems without a position sort first. */
    private static final Comparator<Entry> BY_POSITION = Comparator.comparing((Entry e) -> e.file != null)
            .thenComparing(e -> e.file == null ? "" : e.file)
            .thenComparingInt(e -> e.line)
            .thenComparingInt(e -> e.column);

    private record Entry(String file, int line, int column, String text) {}

    private final List<Entry> errors = new ArrayList<>();
    private final List<Entry> warnings = new ArrayList<>();

    public void error(String file, int line, String message) {
        errors.add(new Entry(file, line, 0, file + ":" + line + ": " + message));
    }

    public void error(String file, int line, int column, String message) {
        errors.add(new Entry(file, line, column, file + ":" + line + ":" + column + ": " + message));
    }

    /** An error without a position (e.g. a file that cannot be read). */
    public void error(String message) {
        errors.add(new Entry(null, 0, 0, message));
    }

    public void warning(String file, int line, int column, String message) {
        warnings.add(new Entry(file, line, column, file + ":" + line + ":" + column + ": warning: " + message));
    }

    public void warning(String file, int line, String message) {
        warnings.add(new Entry(file, line, 0, file + ":" + line + ": warning: " + message));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public List<String> errors() {
        return sorted(errors).stream().map(Entry::text).toList();
    }

    public List<String> warnings() {
        return List.copyOf(
                new LinkedHashSet<>(sorted(warnings).stream().map(Entry::text).toList()));
    }

    public void addAll(Problems other) {
        errors.addAll(other.errors);
        warnings.addAll(other.warnings);
    }

    /**
     * Adds {@code other}'s problems, each passed through {@code rename} (e.g. to name the flag that
     * set a key); problems that become the same are added once. A renamed problem no longer points
     * into a file, so it sorts with the others that have no position.
     */
    public void addAll(Problems other, UnaryOperator<String> rename) {
        for (Entry e : other.errors) addOnce(errors, renamed(e, rename));
        for (Entry w : other.warnings) addOnce(warnings, renamed(w, rename));
    }

    private static Entry renamed(Entry e, UnaryOperator<String> rename) {
        String text = rename.apply(e.text);
        return text.equals(e.text) ? e : new Entry(null, 0, 0, text);
    }

    private static void addOnce(List<Entry> list, Entry entry) {
        for (Entry e : list) if (e.text.equals(entry.text)) return;
        list.add(entry);
    }

    private static List<Entry> sorted(List<Entry> entries) {
        List<Entry> copy = new ArrayList<>(entries);
        copy.sort(BY_POSITION); // stable: equal positions keep the order found
        return copy;
    }
}
