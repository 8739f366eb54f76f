package org.heptap.core.plan.runtime;

import org.heptap.core.message.Message;

/**
 * An executable if-condition. It yields one of three outcomes, encoded like function results so
 * the mapping from a call's value is just its sign: {@link #TRUE}, {@link #FALSE}, or
 * {@link #DROP} (a call returned 0: neither branch runs and the whole plan run ends).
 */
public abstract class Guard {
    public static final int TRUE = 1;
    public static final int FALSE = -1;
    public static final int DROP = 0;

    public abstract int test(Message message);

    /** A call, block or other action used as a condition: the sign of its value. */
    public static final class OfStep extends Guard {
        private final Step step;

        public OfStep(Step step) {
            this.step = step;
        }

        @Override
        public int test(Message message) {
            return Integer.signum(step.run(message));
        }
    }

    /** A NUMBER, or {@code method == X} (always false). */
    public static final class Constant extends Guard {
        public static final Constant TRUE_CONSTANT = new Constant(TRUE);
        public static final Constant FALSE_CONSTANT = new Constant(FALSE);

        private final int truth;

        private Constant(int truth) {
            this.truth = truth;
        }

        @Override
        public int test(Message message) {
            return truth;
        }
    }

    /** {@code !e}: swaps true and false; "drop" stays "drop". */
    public static final class Not extends Guard {
        private final Guard operand;

        public Not(Guard operand) {
            this.operand = operand;
        }

        @Override
        public int test(Message message) {
            return -operand.test(message);
        }
    }

    /** {@code a && b && ...}: the first outcome that is not true, else true. */
    public static final class And extends Guard {
        private final Guard[] operands;

        public And(Guard[] operands) {
            this.operands = operands.clone();
        }

        @Override
        public int test(Message message) {
            for (Guard g : operands) {
                int truth = g.test(message);
                if (truth != TRUE) return truth;
            }
            return TRUE;
        }
    }

    /** {@code a || b || ...}: the first outcome that is not false, else false. */
    public static final class Or extends Guard {
        private final Guard[] operands;

        public Or(Guard[] operands) {
            this.operands = operands.clone();
        }

        @Override
        public int test(Message message) {
            for (Guard g : operands) {
                int truth = g.test(message);
                if (truth != FALSE) return truth;
            }
            return FALSE;
        }
    }
}
