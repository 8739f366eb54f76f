package org.heptap.core.spi;

import java.util.List;

/**
 * A function a capture plan can call, identified by name and argument count (captagent's rule:
 * {@code send_hep("a")} and {@code send_hep("a","true")} are two functions).
 *
 * <p>{@link #bind} runs once per call site when the plan is compiled: it validates and
 * pre-parses the string arguments (numbers, IP prefixes, regexes, transport names) and returns
 * the {@link BoundCall} that runs per packet.
 */
public interface PlanFunction {
    String name();

    /** Number of string arguments: 0, 1 or 2. */
    int arity();

    /**
     * Binds one call site. Report problems with {@link BindContext#error}; returning null marks
     * the call as failed (the plan is rejected).
     */
    BoundCall bind(List<String> args, BindContext ctx);

    /** Convenience factory for modules. */
    static PlanFunction of(String name, int arity, Binder binder) {
        return new PlanFunction() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int arity() {
                return arity;
            }

            @Override
            public BoundCall bind(List<String> args, BindContext ctx) {
                return binder.bind(args, ctx);
            }

            @Override
            public String toString() {
                return name + "/" + arity;
            }
        };
    }

    @FunctionalInterface
    interface Binder {
        BoundCall bind(List<String> args, BindContext ctx);
    }
}
