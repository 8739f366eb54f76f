package org.heptap.hep.transport;

import java.nio.charset.StandardCharsets;
import org.heptap.core.message.Message;

/**
 * The Call-ID to name in a log line about a message: its correlation id (RTCP, PUBLISH reports)
 * or, for a SIP payload, the {@code Call-ID:} / {@code i:} header. Only used on rare, rate-limited
 * paths, so a linear scan of the payload is fine.
 */
public final class CallIdForLog {
    private static final int MAX_SCAN = 8192;

    private CallIdForLog() {}

    public static String of(Message m) {
        if (m.hasCorrelationId()) return m.correlationIdString();
        byte[] b = m.payload();
        int end = m.payloadOffset() + Math.min(m.payloadLength(), MAX_SCAN);
        for (int line = m.payloadOffset(); line < end; ) {
            int value = headerValue(b, line, end, "call-id");
            if (value < 0) value = headerValue(b, line, end, "i");
            if (value >= 0) {
                int stop = value;
                while (stop < end && b[stop] != '\r' && b[stop] != '\n') stop++;
                return new String(b, value, stop - value, StandardCharsets.UTF_8).trim();
            }
            while (line < end && b[line] != '\n') line++;
            line++;
            if (line < end && (b[line] == '\r' || b[line] == '\n')) break; // end of the SIP headers
        }
        return "unknown";
    }

    /** Start of the value if the line at {@code i} is header {@code name} (case-insensitive), else -1. */
    private static int headerValue(byte[] b, int i, int end, String name) {
        int n = name.length();
        if (end - i <= n) return -1;
        for (int k = 0; k < n; k++) {
            if (Character.toLowerCase(b[i + k]) != name.charAt(k)) return -1;
        }
        int j = i + n;
        while (j < end && (b[j] == ' ' || b[j] == '\t')) j++;
        return j < end && b[j] == ':' ? j + 1 : -1;
    }
}
