package org.heptap.core.plan.runtime;

import org.heptap.core.message.Message;
import org.heptap.core.spi.BoundCall;

/**
 * An executable action of a compiled plan. Steps are immutable and hold everything they need, so
 * a run neither looks anything up nor allocates. The value follows captagent: 0 stops the whole
 * run, anything else lets the enclosing list continue.
 */
public abstract class Step {
    public abstract int run(Message message);

    /** A bound plan function call. */
    public static final class Call extends Step {
        private final BoundCall call;

        public Call(BoundCall call) {
            this.call = call;
        }

        @Override
        public int run(Message message) {
            return call.invoke(message);
        }
    }

    /** A call bound to {@link BoundCall#ALWAYS_TRUE}: 1, and nothing done per packet. */
    public static final class True extends Step {
        public static final True INSTANCE = new True();

        private True() {}

        @Override
        public int run(Message message) {
            return 1;
        }
    }

    /** {@code drop}, and {@code send(...)} which captagent never implemented: always 0. */
    public static final class Stop extends Step {
        public static final Stop INSTANCE = new Stop();

        private Stop() {}

        @Override
        public int run(Message message) {
            return 0;
        }
    }

    /** An action list: runs in order, stops at the first 0; the value is the last one run. */
    public static final class Sequence extends Step {
        private final Step[] steps;

        public Sequence(Step[] steps) {
            this.steps = steps.clone();
        }

        @Override
        public int run(Message message) {
            // captagent's value for a list with nothing to run (e.g. "{ ; }")
            int value = 1;
            for (Step step : steps) {
                value = step.run(message);
                if (value == 0) return 0;
            }
            return value;
        }
    }

    /** {@code if}: the branch's value; 1 when no branch ran; 0 when the condition said "drop". */
    public static final class If extends Step {
        private final Guard condition;
        private final Step then;
        private final Step otherwise;

        /** {@code otherwise} may be null (no else). */
        public If(Guard condition, Step then, Step otherwise) {
            this.condition = condition;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        public int run(Message message) {
            int truth = condition.test(message);
            if (truth == Guard.TRUE) return then.run(message);
            if (truth == Guard.FALSE) return otherwise == null ? 1 : otherwise.run(message);
            return 0;
        }
    }
}
