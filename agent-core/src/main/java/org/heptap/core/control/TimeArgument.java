package org.heptap.core.control;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A point in time on heptapctl's command line ({@code --since 1h}), as nanoseconds since the epoch. */
final class TimeArgument {
    static final String HELP = "a time: an age (30s, 15m, 1h, 2d: that long ago), an ISO date-time "
            + "(2026-12-03T10:00:00, local time, or with Z or an offset), or seconds since the epoch";

    private static final Pattern AGE = Pattern.compile("(\\d{1,9})(s|m|h|d)");
    private static final Pattern EPOCH = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");

    private TimeArgument() {}

    /** {@code text} in nanoseconds since the epoch; ages count back from {@code nowMillis}. */
    static long epochNanos(String text, long nowMillis) {
        String t = text.trim();
        Matcher age = AGE.matcher(t);
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return nanos(Instant.ofEpochMilli(nowMillis).minus(d));
        }
        if (EPOCH.matcher(t).matches()) {
            return new java.math.BigDecimal(t).movePointRight(9).longValueExact();
        }
        try {
            return nanos(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            // not with an offset: local time below
        }
        try {
            return nanos(LocalDateTime.parse(t).atZone(ZoneId.systemDefault()).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + HELP);
        }
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
