package org.heptap.core.plan.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.heptap.core.config.Problems;

/**
 * Errors and warnings of one plan compilation. The lexer, parser and resolver report in their own
 * order; collecting here lets the operator read them sorted by position in the file.
 */
public final class Diagnostics {
    private record Entry(Position at, boolean error, String message) {}

    private static final Position NO_POSITION = new Position(0, 0);

    private final List<Entry> entries = new ArrayList<>();
    private int errors;

    public void error(Position at, String message) {
        entries.add(new Entry(at, true, message));
        errors++;
    }

    public void warning(Position at, String message) {
        entries.add(new Entry(at, false, message));
    }

    /** An error about the file as a whole (reported as {@code file: message}). */
    public void fileError(String message) {
        entries.add(new Entry(NO_POSITION, true, message));
        errors++;
    }

    public boolean hasErrors() {
        return errors > 0;
    }

    public int errorCount() {
        return errors;
    }

    /** Copies everything into {@code problems}, sorted by position (stable for equal positions). */
    public void reportTo(Problems problems, String file) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::at));
        for (Entry e : sorted) {
            if (e.at == NO_POSITION) {
                problems.error(file + ": " + e.message);
            } else if (e.error) {
                problems.error(file, e.at.line(), e.at.column(), e.message);
            } else {
                problems.warning(file, e.at.line(), e.at.column(), e.message);
            }
        }
    }
}
