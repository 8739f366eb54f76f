package org.heptap.core.plan.ast;

import java.util.List;
import org.heptap.core.plan.source.Position;

/** The condition of an {@code if}; evaluates to true, false or "drop". */
public sealed interface Condition
        permits Condition.Not, Condition.And, Condition.Or, Condition.Literal, Condition.MethodTest, Condition.Run {
    Position at();

    record Not(Position at, Condition operand) implements Condition {}

    /** {@code a && b && c}: a left-associative chain kept flat (same result, shallower tree). */
    record And(Position at, List<Condition> operands) implements Condition {}

    /** {@code a || b || c}, flat like {@link And}. */
    record Or(Position at, List<Condition> operands) implements Condition {}

    /** A NUMBER (or boolean word): true when non-zero. */
    record Literal(Position at, boolean value) implements Condition {}

    /** {@code method == X} / {@code method =~ X}: parsed by captagent, never evaluated as true. */
    record MethodTest(Position at, String operator, String value) implements Condition {}

    /** A call, block, drop, send or if used as a condition: its value decides. */
    record Run(Action action) implements Condition {
        @Override
        public Position at() {
            return action.at();
        }
    }
}
