package org.heptap.core.plan.functions;

/** C's {@code atoi}, which captagent applies to numeric plan arguments ("100", " 42x" → 42, "abc" → 0). */
public final class Atoi {
    private Atoi() {}

    /** Leading blanks, optional sign, then digits up to the first non-digit; saturates instead of overflowing. */
    public static int parse(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isCSpace(s.charAt(i))) i++;
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && value <= Integer.MAX_VALUE) {
            value = value * 10 + (s.charAt(i) - '0');
            i++;
        }
        if (negative) value = -value;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    /** True when {@link #parse} reads the whole text as a decimal number (no junk it would skip). */
    public static boolean isPlainNumber(String s) {
        String t = s.strip();
        int start = !t.isEmpty() && (t.charAt(0) == '+' || t.charAt(0) == '-') ? 1 : 0;
        if (t.length() == start) return false;
        for (int i = start; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') return false;
        }
        return true;
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }
}
