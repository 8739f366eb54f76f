package org.heptap.core.pipeline;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.LongSupplier;
import org.heptap.core.log.RateLimitedLog;
import org.heptap.core.plan.CompiledPlan;
import org.heptap.core.plan.PlanTimer;
import org.heptap.core.spi.SocketTimer;

/**
 * Runs the {@link SocketTimer}s of a socket's plan on the socket's thread: the socket's clock
 * (packet time, or wall time between packets live) is advanced by every frame and read timeout,
 * and a timer is called when the clock passes the next multiple of its period. Per frame this is
 * a comparison of two longs (and a reference check for a reloaded plan); nothing is allocated.
 * A timer that throws costs its turn, never the socket (counted, logged rate-limited).
 */
final class SocketTimers {
    private static final Logger LOG = System.getLogger(SocketTimers.class.getName());
    private static final SocketTimer[] NONE = {};

    private final String socket;
    private final RateLimitedLog errorLog;
    private CompiledPlan plan;
    private SocketTimer[] timers = NONE;
    private long[] period = new long[0];
    private long[] due = new long[0];
    private long nextDue = Long.MAX_VALUE;
    private long now = Long.MIN_VALUE;
    private long errors;

    SocketTimers(String socket, LongSupplier nanoClock) {
        this.socket = socket;
        this.errorLog = new RateLimitedLog(1, 10_000_000_000L, nanoClock);
    }

    /**
     * Takes the timers of the plan in force. A reload's new plan brings its own; the old plan's
     * timers are let go with the configuration a reload retires (its transports are closed).
     */
    void use(CompiledPlan p) {
        if (p == plan) return;
        plan = p;
        List<PlanTimer> list = p == null ? List.of() : p.timers();
        timers = new SocketTimer[list.size()];
        period = new long[list.size()];
        due = new long[list.size()];
        for (int i = 0; i < timers.length; i++) {
            timers[i] = list.get(i).timer();
            period[i] = list.get(i).periodMicros();
        }
        schedule();
    }

    boolean any() {
        return timers.length > 0;
    }

    /** Whether {@link #advance} to {@code micros} would run a timer. */
    boolean wouldFire(long micros) {
        return Math.max(now, micros) >= nextDue;
    }

    /** The socket's clock moved to {@code micros} (it never goes back); runs the timers now due. */
    void advance(long micros) {
        if (micros > now) {
            boolean first = now == Long.MIN_VALUE;
            now = micros;
            if (first) schedule();
        }
        if (now >= nextDue) fire();
    }

    /** The end of input: every timer's {@link SocketTimer#endOfInput}; the clock starts over after it. */
    void endOfInput(long micros) {
        if (micros > now) now = micros;
        long at = now == Long.MIN_VALUE ? micros : now;
        for (SocketTimer t : timers) {
            try {
                t.endOfInput(at);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
        now = Long.MIN_VALUE; // a replay's next pass starts at the file's first packet again
        schedule();
    }

    long errors() {
        return errors;
    }

    private void fire() {
        for (int i = 0; i < timers.length; i++) {
            if (now < due[i]) continue;
            due[i] = nextMultiple(now, period[i]);
            try {
                timers[i].tick(now);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
        nextDue = earliest();
    }

    private void schedule() {
        for (int i = 0; i < timers.length; i++)
            due[i] = now == Long.MIN_VALUE ? Long.MAX_VALUE : nextMultiple(now, period[i]);
        nextDue = earliest();
    }

    private long earliest() {
        long e = Long.MAX_VALUE;
        for (long d : due) e = Math.min(e, d);
        return e;
    }

    private static long nextMultiple(long t, long p) {
        return Math.floorDiv(t, p) * p + p;
    }

    private void failed(RuntimeException e) {
        errors++;
        long notLogged = errorLog.tryAcquire();
        if (notLogged >= 0) {
            LOG.log(
                    Level.ERROR,
                    "socket " + socket + ": a plan timer failed (" + errors + " so far"
                            + RateLimitedLog.suffix(notLogged) + ")",
                    e);
        }
    }
}
