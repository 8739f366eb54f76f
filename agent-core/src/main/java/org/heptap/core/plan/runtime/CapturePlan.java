package org.heptap.core.plan.runtime;

import java.util.List;
import java.util.OptionalInt;
import org.heptap.core.message.Message;
import org.heptap.core.plan.CompiledPlan;
import org.heptap.core.plan.PlanTimer;

/**
 * The compiled capture block of one plan file (the last block, as in captagent). Immutable and
 * safe to share between pipeline threads as long as the bound calls are.
 */
public final class CapturePlan implements CompiledPlan {
    private final Step body;
    private final String source;
    private final String blockLabel;
    private final OptionalInt debugLevel;
    private final List<PlanTimer> timers;

    public CapturePlan(Step body, String source, String blockLabel, OptionalInt debugLevel) {
        this(body, source, blockLabel, debugLevel, List.of());
    }

    public CapturePlan(Step body, String source, String blockLabel, OptionalInt debugLevel, List<PlanTimer> timers) {
        this.body = body;
        this.source = source;
        this.blockLabel = blockLabel;
        this.debugLevel = debugLevel;
        this.timers = List.copyOf(timers);
    }

    @Override
    public List<PlanTimer> timers() {
        return timers;
    }

    @Override
    public int run(Message message) {
        return body.run(message);
    }

    /** What runs per packet. */
    public Step body() {
        return body;
    }

    @Override
    public String source() {
        return source;
    }

    /** {@code capture[name]} or {@code capture}: which block of the file runs. */
    public String blockLabel() {
        return blockLabel;
    }

    /** The last {@code debug = N} of the file, if any (captagent's global log level; unused by heptap). */
    public OptionalInt debugLevel() {
        return debugLevel;
    }

    @Override
    public String toString() {
        return source + " " + blockLabel;
    }
}
