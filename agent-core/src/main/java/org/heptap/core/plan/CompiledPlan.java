package org.heptap.core.plan;

import org.heptap.core.message.Message;

/** A capture plan with every call bound to its function: run once per packet. */
public interface CompiledPlan {
    /** Runs the plan on one message; returns the value of the capture block (0 = dropped). */
    int run(Message message);

    /** The file the plan came from (for logs and {@code plan show}). */
    String source();
}
