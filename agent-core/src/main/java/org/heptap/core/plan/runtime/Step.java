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

    /**
     * A step whose value never depends on the packet: {@link #STOP} for {@code drop} (and
     * {@code send(...)}, which captagent never implemented), {@link #TRUE} for a call bound to
     * {@link BoundCall#ALWAYS_TRUE}, which does nothing per packet.
     */
    public static final class Constant extends Step {
        public static final Constant STOP = new Constant(0);
        public static final Constant TRUE = new Constant(1);

        private final int value;

        private Constant(int value) {
            this.value = value;
        }

        @Override
        public int run(Message message) {
            return value;
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
