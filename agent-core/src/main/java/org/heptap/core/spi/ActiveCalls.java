package org.heptap.core.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The calls whose media a module measures right now, for {@code heptapctl calls}: a hook of the
 * configuration ({@link #of}) that a measuring module feeds ({@link #addSource}) and whichever
 * module answers {@code calls} reads ({@link ActiveCallsCommand}). It names no protocol: a call is
 * an id and its media directions, each with its live loss, jitter and MOS.
 *
 * <p>Two modules may offer {@code calls} (one listing recent calls, one measuring media): the one
 * that owns the command says so ({@link #claimCommand}), and the other then offers no command of
 * that name, so the answer is one command whichever of them is present.
 */
public final class ActiveCalls {
    /** One direction of a call's media as last measured; {@code lossPercent} of the expected packets. */
    public record Direction(
            String from,
            String to,
            long ssrc,
            String codec,
            long packets,
            long lost,
            double lossPercent,
            double jitterMs,
            double mos) {}

    /** A call and its media directions. */
    public record Call(String callId, List<Direction> directions) {
        public Call {
            directions = List.copyOf(directions);
        }
    }

    private final CopyOnWriteArrayList<Supplier<List<Call>>> sources = new CopyOnWriteArrayList<>();
    private volatile boolean commandClaimed;

    /** The configuration's view (found through its {@link ModuleHooks}). */
    public static ActiveCalls of(AgentContext agent) {
        return agent.hooks().get(ActiveCalls.class, ActiveCalls::new);
    }

    /** Adds a source of active calls (called by a module once it measures media). */
    public void addSource(Supplier<List<Call>> source) {
        if (!sources.contains(source)) sources.add(source);
    }

    /** True when some module measures calls' media in this configuration. */
    public boolean measured() {
        return !sources.isEmpty();
    }

    /** Every source's calls now. */
    public List<Call> calls() {
        List<Call> out = new ArrayList<>();
        for (Supplier<List<Call>> s : sources) out.addAll(s.get());
        return out;
    }

    /** Said by the module that answers {@code calls} itself (and shows these calls there). */
    public void claimCommand() {
        commandClaimed = true;
    }

    /** True when another module answers {@code calls}. */
    public boolean commandClaimed() {
        return commandClaimed;
    }
}
