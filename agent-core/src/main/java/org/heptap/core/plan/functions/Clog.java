package org.heptap.core.plan.functions;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.function.LongSupplier;
import org.heptap.core.log.RateLimitedLog;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.PlanFunction;

/**
 * {@code clog(level, text)}: writes a line to the log and returns 1. The level is picked by the
 * first letter as captagent does (E error, N notice, anything else debug). Each call site logs at
 * most {@link #LINES_PER_SECOND} lines a second: stock plans log an error for every packet that
 * is not of the expected kind, which on a busy port would flood the log.
 */
public final class Clog {
    public static final int LINES_PER_SECOND = 10;
    public static final String LOGGER_NAME = "org.heptap.plan";

    public static final PlanFunction FUNCTION =
            PlanFunction.of("clog", 2, (args, ctx) -> bind(args, ctx, System.getLogger(LOGGER_NAME), System::nanoTime));

    private Clog() {}

    static BoundCall bind(List<String> args, BindContext ctx, Logger logger, LongSupplier clock) {
        Level level = level(args.get(0));
        String socket = ctx.socketName();
        String line = socket.isEmpty() ? args.get(1) : socket + ": " + args.get(1);
        RateLimitedLog limiter = new RateLimitedLog(LINES_PER_SECOND, 1_000_000_000L, clock);
        return m -> {
            if (logger.isLoggable(level)) {
                long dropped = limiter.tryAcquire();
                if (dropped == 0) {
                    logger.log(level, line);
                } else if (dropped > 0) {
                    logger.log(level, line + " (" + dropped + " more lines from this clog suppressed)");
                }
            }
            return 1;
        };
    }

    static Level level(String level) {
        char c = level.isEmpty() ? ' ' : level.charAt(0);
        if (c == 'E' || c == 'e') return Level.ERROR;
        if (c == 'N' || c == 'n') return Level.INFO;
        return Level.DEBUG;
    }
}
