package org.heptap.core.plan.functions;

import java.util.List;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.PlanFunction;

/**
 * {@code is_flag_set(index, value)}. captagent compares a per-message flag slot (set only by its
 * socket modules, e.g. the collector's socket index in flag 5) with {@code atoi(value)}. heptap
 * messages carry no such flags, so the call is accepted for compatibility and is always false (-1).
 */
public final class IsFlagSet {
    public static final PlanFunction FUNCTION = PlanFunction.of("is_flag_set", 2, IsFlagSet::bind);

    private IsFlagSet() {}

    static BoundCall bind(List<String> args, BindContext ctx) {
        if (!Atoi.isPlainNumber(args.get(0))) {
            ctx.warning("is_flag_set: flag index '" + args.get(0) + "' is not a number");
        }
        ctx.warning("is_flag_set: heptap keeps no per-message flags, so this is always false (-1)");
        return m -> -1;
    }
}
