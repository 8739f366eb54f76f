package org.heptap.core.log;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * heptap's code logs through {@link System.Logger} (no dependency, levels named like
 * {@code --log-level}); the JDK hands those records to java.util.logging, which is configured
 * here and only here: to stderr, one line per record. Under systemd (JOURNAL_STREAM set) each line
 * starts with the syslog priority ({@code <3>} error ... {@code <7>} debug) so journald files it
 * at the right level and adds its own timestamp; elsewhere lines carry an ISO timestamp.
 */
public final class LogSetup {
    private static final Logger ROOT = Logger.getLogger("org.heptap");

    private LogSetup() {}

    public static void init(String level) {
        boolean journald = System.getenv("JOURNAL_STREAM") != null;
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        Handler h = new StderrHandler();
        h.setLevel(Level.ALL);
        h.setFormatter(new LineFormatter(journald));
        root.addHandler(h);
        setLevel(level);
    }

    /**
     * Writes each record to stderr and flushes it. (ConsoleHandler cannot be pointed elsewhere
     * without closing System.err, and buffers records a journal should see at once.)
     */
    static final class StderrHandler extends Handler {
        @Override
        public void publish(LogRecord r) {
            if (!isLoggable(r)) return;
            PrintStream err = System.err;
            err.print(getFormatter().format(r));
            err.flush();
        }

        @Override
        public void flush() {
            System.err.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }

    /** Sets the agent's log level: error, warning, info or debug (also trace). */
    public static void setLevel(String level) {
        ROOT.setLevel(parse(level));
        Logger.getLogger("").setLevel(Level.WARNING);
    }

    /**
     * Runs {@code work} with the agent's informational lines held back (the level raised to
     * warnings, if it was lower), then puts the level back: for work whose own routine lines would
     * mislead an operator (the start-up warm-up's throwaway agent). Warnings and errors still get
     * out, whoever logs them: the running agent's (a collector refusing a peer) must not be lost.
     */
    public static <T> T quietly(Supplier<T> work) {
        Level was = ROOT.getLevel();
        if (was == null || was.intValue() < Level.WARNING.intValue()) ROOT.setLevel(Level.WARNING);
        try {
            return work.get();
        } finally {
            ROOT.setLevel(was);
        }
    }

    public static Level parse(String level) {
        return switch (level == null ? "info" : level.toLowerCase(Locale.ROOT)) {
            case "error" -> Level.SEVERE;
            case "warning", "warn" -> Level.WARNING;
            case "debug" -> Level.FINE;
            case "trace" -> Level.FINEST;
            default -> Level.INFO;
        };
    }

    static final class LineFormatter extends Formatter {
        private static final DateTimeFormatter TS =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        private final boolean journald;

        LineFormatter(boolean journald) {
            this.journald = journald;
        }

        @Override
        public String format(LogRecord r) {
            StringBuilder sb = new StringBuilder(160);
            int v = r.getLevel().intValue();
            if (journald) {
                sb.append(v >= 1000 ? "<3>" : v >= 900 ? "<4>" : v >= 800 ? "<6>" : "<7>");
            } else {
                sb.append(TS.format(Instant.ofEpochMilli(r.getMillis()))).append(' ');
            }
            sb.append(v >= 1000 ? "ERROR" : v >= 900 ? "WARN" : v >= 800 ? "INFO" : "DEBUG")
                    .append(' ');
            String name = r.getLoggerName();
            if (name != null)
                sb.append(name.substring(name.lastIndexOf('.') + 1)).append(": ");
            // one line per record: journald splits on newlines
            sb.append(formatMessage(r).replace('\n', ' '));
            if (r.getThrown() != null) {
                sb.append(" (").append(r.getThrown()).append(')');
            }
            return sb.append('\n').toString();
        }
    }
}
