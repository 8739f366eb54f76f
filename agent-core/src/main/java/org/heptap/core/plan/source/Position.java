package org.heptap.core.plan.source;

/** Where something starts in a plan file: 1-based line and column (columns count characters). */
public record Position(int line, int column) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
        return line != o.line ? Integer.compare(line, o.line) : Integer.compare(column, o.column);
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
