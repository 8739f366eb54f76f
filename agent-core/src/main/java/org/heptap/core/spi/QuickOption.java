package org.heptap.core.spi;

import java.util.List;
import java.util.function.Consumer;

/**
 * One option a module adds to heptap's command line, described without picocli: heptap's command
 * line turns it into picocli's model (help, usage errors, the completion script) and reads plain
 * command lines with it directly, so that an ordinary start does no picocli work (bench/README.md,
 * "Start-up with a static archive"). Made by {@link QuickOptions}.
 */
public final class QuickOption {
    /** What follows the option's name. */
    public enum Kind {
        /** One value, handed to {@link #give(String)} each time the option is given. */
        VALUE,
        /** No value: {@link #give()} runs each time the option is given. */
        FLAG,
        /** Values collected in {@link #into()}, each use split at {@link #split()}. */
        LIST
    }

    private final List<String> names;
    private final String label;
    private final String description;
    private final Kind kind;
    private final String split;
    private final String arity;
    private final Consumer<String> value;
    private final Runnable flag;
    private final List<String> into;

    QuickOption(
            String names,
            String label,
            String description,
            Kind kind,
            String split,
            String arity,
            Consumer<String> value,
            Runnable flag,
            List<String> into) {
        this.names = List.of(names.split(" "));
        this.label = label;
        this.description = description;
        this.kind = kind;
        this.split = split;
        this.arity = arity;
        this.value = value;
        this.flag = flag;
        this.into = into;
    }

    /** Its names as typed ({@code -c}, {@code --config}), the short one first. */
    public List<String> names() {
        return names;
    }

    /** What {@code --help} calls its value ({@code FILE}); null for a flag. */
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    public Kind kind() {
        return kind;
    }

    /** A list's split regex ("" for none); null for the other kinds. */
    public String split() {
        return split;
    }

    /** A list's values per use in picocli's notation ("1", "1..*"); null for the other kinds. */
    public String arity() {
        return arity;
    }

    /** A value option was given {@code v}. */
    public void give(String v) {
        value.accept(v);
    }

    /** A flag was given. */
    public void give() {
        flag.run();
    }

    /** The list a list option's values are collected in. */
    public List<String> into() {
        return into;
    }
}
