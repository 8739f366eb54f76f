package org.heptap.rtcp;

import java.util.Set;

/**
 * Converts an RFC 6035 {@code application/vq-rtcpxr} report body to JSON for HOMER.
 *
 * <p>Shape: {@code {"report":"VQSessionReport","report_subtype":"CallTerm","CallID":"…",
 * "LocalAddr":{"IP":"…","PORT":40000,"SSRC":"0x1a2b3c4d"}, "LocalMetrics":{"PacketLoss":
 * {"NLR":1.5,"JDR":0.5}, "Delay":{…}, "QualityEst":{"MOSLQ":4.2,…}, …}, "RemoteMetrics":{…},
 * "DialogID":"…"}}}. Line names and parameter names are kept as the report writes them, so an
 * engineer finds in HOMER exactly what the phone said; a value is a JSON number when its text is
 * one (copied verbatim: {@code MOSLQ=4.2} stays {@code 4.2}), a string otherwise. Metric lines
 * after {@code LocalMetrics:} / {@code RemoteMetrics:} are grouped under that side.
 */
public final class VqReportWriter {
    /** Lines that belong to a LocalMetrics/RemoteMetrics block (RFC 6035 §4.7). */
    private static final Set<String> METRIC_LINES = Set.of(
            "Timestamps",
            "SessionDesc",
            "JitterBuffer",
            "PacketLoss",
            "BurstGapLoss",
            "Delay",
            "Signal",
            "QualityEst",
            "MetricsRating",
            "MetricRating",
            "PacketLossConcealment");

    private final JsonBuffer out = new JsonBuffer();

    public byte[] buffer() {
        return out.bytes();
    }

    public String text() {
        return out.toString();
    }

    /** Writes the document; returns its length, or 0 when the body holds no report line. */
    public int write(byte[] b, int off, int len) {
        out.clear();
        out.ch('{');
        boolean any = false;
        boolean inSection = false;
        boolean first = true;
        int pos = off;
        int end = off + len;
        while (pos < end) {
            int lf = indexOf(b, pos, end, (byte) '\n');
            int le = lf < 0 ? end : lf;
            int ls = skipWs(b, pos, le);
            int lineEnd = trimEnd(b, ls, le);
            pos = lf < 0 ? end : lf + 1;
            if (lineEnd <= ls) continue;
            int colon = indexOf(b, ls, lineEnd, (byte) ':');
            if (colon < 0) continue;
            String name = new String(b, ls, trimEnd(b, ls, colon) - ls, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (name.isEmpty()) continue;
            int vs = skipWs(b, colon + 1, lineEnd);
            if (!any) {
                if (!name.startsWith("VQ")) return 0; // not a report body
                out.key("report").string(name);
                if (vs < lineEnd) out.ch(',').key("report_subtype").string(b, vs, lineEnd - vs);
                any = true;
                first = false;
                continue;
            }
            boolean metric = METRIC_LINES.contains(name);
            if (inSection && !metric) {
                out.ch('}');
                inSection = false;
            }
            if (!first && !(inSection && out.lastByte() == '{')) out.ch(',');
            first = false;
            if (name.endsWith("Metrics") && vs == lineEnd) {
                out.key(escapeKey(name)).ch('{');
                inSection = true;
                continue;
            }
            out.key(escapeKey(name));
            if (!name.equals("DialogID") && isParameterList(b, vs, lineEnd)) {
                parameters(b, vs, lineEnd);
            } else {
                out.string(b, vs, lineEnd - vs);
            }
        }
        if (!any) return 0;
        if (inSection) out.ch('}');
        out.ch('}');
        return out.overflowed() ? 0 : out.length();
    }

    /** {@code K=V K=V …}: every space-separated token holds a '=' after a non-empty name. */
    private static boolean isParameterList(byte[] b, int s, int e) {
        if (s >= e) return false;
        int i = s;
        while (i < e) {
            int te = i;
            while (te < e && b[te] != ' ' && b[te] != '\t') te++;
            int eq = indexOf(b, i, te, (byte) '=');
            if (eq <= i) return false;
            i = skipWs(b, te, e);
        }
        return true;
    }

    private void parameters(byte[] b, int s, int e) {
        out.ch('{');
        int i = s;
        boolean firstParam = true;
        while (i < e) {
            int te = i;
            while (te < e && b[te] != ' ' && b[te] != '\t') te++;
            int eq = indexOf(b, i, te, (byte) '=');
            if (!firstParam) out.ch(',');
            firstParam = false;
            out.string(b, i, eq - i).ch(':');
            value(b, eq + 1, te);
            i = skipWs(b, te, e);
        }
        out.ch('}');
    }

    private void value(byte[] b, int s, int e) {
        if (isJsonNumber(b, s, e)) {
            for (int i = s; i < e; i++) out.ch((char) b[i]);
        } else {
            out.string(b, s, e - s);
        }
    }

    /** -?(0|[1-9][0-9]*)(\.[0-9]+)? — the subset of JSON numbers a report uses. */
    static boolean isJsonNumber(byte[] b, int s, int e) {
        int i = s;
        if (i < e && b[i] == '-') i++;
        if (i >= e || b[i] < '0' || b[i] > '9') return false;
        if (b[i] == '0' && i + 1 < e && b[i + 1] >= '0' && b[i + 1] <= '9') return false;
        while (i < e && b[i] >= '0' && b[i] <= '9') i++;
        if (i < e && b[i] == '.') {
            i++;
            if (i >= e || b[i] < '0' || b[i] > '9') return false;
            while (i < e && b[i] >= '0' && b[i] <= '9') i++;
        }
        return i == e;
    }

    private static String escapeKey(String k) {
        StringBuilder sb = new StringBuilder(k.length());
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) sb.append('_');
            else sb.append(c);
        }
        return sb.toString();
    }

    static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) if (b[i] == c) return i;
        return -1;
    }

    static int skipWs(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) from++;
        return from;
    }

    static int trimEnd(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t' || b[to - 1] == '\r')) to--;
        return to;
    }
}
