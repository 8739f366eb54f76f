package org.heptap.core.plan.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import org.heptap.core.message.Message;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.PlanFunction;
import org.junit.jupiter.api.Test;

/** clog (and its rate limit), set_tag, is_flag_set, atoi. */
class CoreFunctionsTest {
    private final RecordingBindContext ctx = new RecordingBindContext();
    private final Message message = new Message();

    CoreFunctionsTest() {
        message.reset();
    }

    /** Keeps every line logged at or above a level. */
    static final class CapturingLogger implements Logger {
        final List<String> lines = new ArrayList<>();
        Level threshold = Level.ALL;

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return level.getSeverity() >= threshold.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }
    }

    @Test
    void core_functions_are_the_four_protocol_free_helpers() {
        assertEquals(
                List.of("msg_check/2", "clog/2", "set_tag/2", "is_flag_set/2"),
                CorePlanFunctions.all().stream()
                        .map(f -> f.name() + "/" + f.arity())
                        .toList());
    }

    @Test
    void clog_level_is_picked_by_the_first_letter() {
        assertEquals(Level.ERROR, Clog.level("ERROR"));
        assertEquals(Level.ERROR, Clog.level("e"));
        assertEquals(Level.INFO, Clog.level("NOTICE"));
        assertEquals(Level.INFO, Clog.level("n"));
        assertEquals(Level.DEBUG, Clog.level("DEBUG"));
        assertEquals(Level.DEBUG, Clog.level("WARNING"));
        assertEquals(Level.DEBUG, Clog.level(""));
    }

    @Test
    void clog_logs_returns_one_and_names_the_socket() {
        CapturingLogger logger = new CapturingLogger();
        BoundCall clog = Clog.bind(
                List.of("ERROR", "Error sending HEP!!!!"), new RecordingBindContext("pcap"), logger, () -> 0L);
        assertEquals(1, clog.invoke(message));
        assertEquals(List.of("ERROR pcap: Error sending HEP!!!!"), logger.lines);
    }

    @Test
    void clog_is_rate_limited_per_call_site_and_counts_what_it_dropped() {
        CapturingLogger logger = new CapturingLogger();
        long[] now = {0};
        BoundCall clog = Clog.bind(List.of("E", "not RTCP"), ctx, logger, () -> now[0]);
        for (int i = 0; i < 25; i++) assertEquals(1, clog.invoke(message));
        assertEquals(Clog.LINES_PER_SECOND, logger.lines.size());
        now[0] += 1_000_000_000L;
        clog.invoke(message);
        assertEquals("ERROR not RTCP (15 more lines from this clog suppressed)", logger.lines.get(10));
        clog.invoke(message);
        assertEquals("ERROR not RTCP", logger.lines.get(11));
    }

    @Test
    void clog_below_the_log_level_does_nothing() {
        CapturingLogger logger = new CapturingLogger();
        logger.threshold = Level.INFO;
        BoundCall clog = Clog.bind(List.of("DEBUG", "x"), ctx, logger, () -> 0L);
        assertEquals(1, clog.invoke(message));
        assertTrue(logger.lines.isEmpty());
    }

    @Test
    void set_tag_appends_key_value_pairs() {
        BoundCall a = SetTag.FUNCTION.bind(List.of("region", "eu"), ctx);
        BoundCall b = SetTag.FUNCTION.bind(List.of("node", "7"), ctx);
        assertEquals(1, a.invoke(message));
        assertEquals(1, b.invoke(message));
        assertEquals("region=eu;node=7", message.tags().toString());
        assertTrue(ctx.warnings.isEmpty());
        SetTag.FUNCTION.bind(List.of("k", "a;b"), ctx);
        assertEquals(1, ctx.warnings.size());
    }

    @Test
    void is_flag_set_is_always_false_and_says_why() {
        PlanFunction f = IsFlagSet.FUNCTION;
        assertEquals(-1, f.bind(List.of("5", "1"), ctx).invoke(message));
        assertEquals(
                List.of("is_flag_set: heptap keeps no per-message flags, so this is always false (-1)"), ctx.warnings);
    }

    @Test
    void atoi_reads_like_c() {
        assertEquals(100, Atoi.parse("100"));
        assertEquals(42, Atoi.parse("  42x"));
        assertEquals(-5, Atoi.parse("-5"));
        assertEquals(7, Atoi.parse("+7"));
        assertEquals(0, Atoi.parse("abc"));
        assertEquals(0, Atoi.parse(""));
        assertEquals(Integer.MAX_VALUE, Atoi.parse("99999999999999"));
        assertEquals(Integer.MIN_VALUE, Atoi.parse("-99999999999999"));
        assertTrue(Atoi.isPlainNumber(" 12 "));
        assertTrue(!Atoi.isPlainNumber("12x") && !Atoi.isPlainNumber("") && !Atoi.isPlainNumber("-"));
    }
}
