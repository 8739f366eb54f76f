package org.heptap.core.plan;

import java.util.List;
import org.heptap.core.message.Message;

/** A capture plan with every call bound to its function: run once per packet. */
public interface CompiledPlan {
    /** Runs the plan on one message; returns the value of the capture block (0 = dropped). */
    int run(Message message);

    /** The file the plan came from (for logs and {@code plan show}). */
    String source();

    /** The timers its bound calls asked for, to run on the socket's thread between packets. */
    default List<PlanTimer> timers() {
        return List.of();
    }
}
