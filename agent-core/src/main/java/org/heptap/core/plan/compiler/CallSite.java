package org.heptap.core.plan.compiler;

import java.util.List;
import org.heptap.core.config.Suggest;
import org.heptap.core.plan.PlanTimer;
import org.heptap.core.plan.TransportResolver;
import org.heptap.core.plan.source.Diagnostics;
import org.heptap.core.plan.source.Position;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.SocketTimer;
import org.heptap.core.spi.Transport;

/** What a plan function sees while one of its calls is bound: everything reports at the call. */
final class CallSite implements BindContext {
    private final Position at;
    private final Diagnostics diagnostics;
    private final TransportResolver transports;
    private final String socketName;
    private final boolean inCondition;
    private final List<PlanTimer> timers;
    private boolean reportedError;

    CallSite(
            Position at,
            Diagnostics diagnostics,
            TransportResolver transports,
            String socketName,
            boolean inCondition,
            List<PlanTimer> timers) {
        this.timers = timers;
        this.at = at;
        this.diagnostics = diagnostics;
        this.transports = transports;
        this.socketName = socketName;
        this.inCondition = inCondition;
    }

    @Override
    public Transport transport(String name) {
        Transport t = transports.lookup(name);
        if (t != null) return t;
        String hint = transports.names().isEmpty()
                ? " (no transport profiles are configured)"
                : Suggest.hint(name, transports.names());
        error("unknown transport profile '" + name + "'" + hint);
        return null;
    }

    @Override
    public void error(String message) {
        reportedError = true;
        diagnostics.error(at, message);
    }

    @Override
    public void warning(String message) {
        diagnostics.warning(at, message);
    }

    @Override
    public boolean inCondition() {
        return inCondition;
    }

    @Override
    public String socketName() {
        return socketName;
    }

    @Override
    public void addTimer(SocketTimer timer, long periodMicros) {
        if (periodMicros <= 0) throw new IllegalArgumentException("timer period must be positive: " + periodMicros);
        timers.add(new PlanTimer(timer, periodMicros));
    }

    boolean reportedError() {
        return reportedError;
    }
}
