package org.heptap.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.message.Message;
import org.heptap.core.spi.DiscardList;
import org.heptap.core.spi.MessageFilter;

/**
 * {@code discard-methods: [OPTIONS, NOTIFY]} on a socket (heplify's {@code -dim}): drops requests
 * with one of these methods and, like heplify, the responses to them (by the method in CSeq), so
 * keep-alive traffic never reaches the plan. Looks only at the start line and the CSeq header,
 * without parsing the rest; methods compare case-insensitively.
 */
final class SipMethodDiscard implements DiscardList {
    private static final byte[] SIP_VERSION = "SIP/2.0 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CSEQ = "cseq".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String key() {
        return "methods";
    }

    @Override
    public String counter() {
        return "discarded-method";
    }

    @Override
    public MessageFilter compile(List<String> values, ConfigNode where) {
        List<byte[]> methods = new ArrayList<>();
        for (String v : values) {
            for (String raw : v.split(",")) {
                String m = raw.trim();
                if (m.isEmpty()) continue;
                byte[] b = m.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
                boolean token = true;
                for (byte c : b) token &= Ascii.isToken(c);
                if (!token) {
                    where.error("\"" + m + "\" is not a SIP method (letters, digits and -.!%*_+`'~ only)");
                    continue;
                }
                methods.add(b);
            }
        }
        return new Filter(methods.toArray(new byte[0][]));
    }

    /** Matches a SIP message whose request method, or whose response's CSeq method, is listed. */
    static final class Filter implements MessageFilter {
        private final byte[][] methods;

        Filter(byte[][] methods) {
            this.methods = methods;
        }

        @Override
        public boolean matches(Message m) {
            byte[] b = m.payload();
            if (b == null || methods.length == 0) return false;
            int from = m.payloadOffset();
            int to = from + m.payloadLength();
            if (startsWith(b, from, to, SIP_VERSION)) return cseqMethodListed(b, from, to);
            int sp = from;
            while (sp < to && Ascii.isToken(b[sp])) sp++;
            // a request line: METHOD SP Request-URI SP SIP-Version
            return sp > from && sp < to && b[sp] == ' ' && listed(b, from, sp);
        }

        private boolean cseqMethodListed(byte[] b, int from, int to) {
            int line = nextLine(b, from, to);
            while (line < to) {
                int end = Ascii.indexOf(b, line, to, (byte) '\n');
                if (end < 0) end = to;
                if (line == end || (b[line] == '\r' && line + 1 == end)) return false; // end of headers
                if (b[line] != ' ' && b[line] != '\t' && nameIs(b, line, end, CSEQ)) {
                    int i = Ascii.indexOf(b, line, end, (byte) ':') + 1;
                    while (i < end && (b[i] == ' ' || b[i] == '\t')) i++;
                    while (i < end && Ascii.isDigit(b[i])) i++;
                    while (i < end && (b[i] == ' ' || b[i] == '\t')) i++;
                    int s = i;
                    while (i < end && Ascii.isToken(b[i])) i++;
                    return i > s && listed(b, s, i);
                }
                line = end + 1;
            }
            return false;
        }

        /** Whether the header line at {@code [line, end)} is named {@code name} (any case), then ':'. */
        private static boolean nameIs(byte[] b, int line, int end, byte[] name) {
            if (end - line <= name.length) return false;
            for (int k = 0; k < name.length; k++) if (Ascii.lower(b[line + k]) != name[k]) return false;
            int i = line + name.length;
            while (i < end && (b[i] == ' ' || b[i] == '\t')) i++;
            return i < end && b[i] == ':';
        }

        private boolean listed(byte[] b, int from, int to) {
            int len = to - from;
            outer:
            for (byte[] method : methods) {
                if (method.length != len) continue;
                for (int k = 0; k < len; k++) {
                    int c = b[from + k];
                    if (c >= 'a' && c <= 'z') c -= 32;
                    if (c != method[k]) continue outer;
                }
                return true;
            }
            return false;
        }

        private static int nextLine(byte[] b, int from, int to) {
            int nl = Ascii.indexOf(b, from, to, (byte) '\n');
            return nl < 0 ? to : nl + 1;
        }

        private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
            if (to - from < prefix.length) return false;
            for (int k = 0; k < prefix.length; k++) if (b[from + k] != prefix[k]) return false;
            return true;
        }
    }
}
