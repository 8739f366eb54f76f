package org.heptap.core.plan.functions;

import java.util.List;
import org.heptap.core.spi.PlanFunction;

/**
 * The plan functions agent-core provides itself: the protocol-independent helpers captagent
 * shipped in the stock plans. Modules must not export these names again.
 */
public final class CorePlanFunctions {
    private CorePlanFunctions() {}

    public static List<PlanFunction> all() {
        return List.of(MsgCheck.FUNCTION, Clog.FUNCTION, SetTag.FUNCTION, IsFlagSet.FUNCTION);
    }
}
