package org.heptap.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits a payload into its SIP messages: a datagram holds one, a TCP segment may hold several, each sized by its Content-Length. */
final class MessageSplitter {
    private static final Pattern CONTENT_LENGTH =
            Pattern.compile("\r\n(?:Content-Length|l)[ \t]*:[ \t]*(\\d{1,9})", Pattern.CASE_INSENSITIVE);

    private MessageSplitter() {}

    static List<String> split(String payload) {
        List<String> out = new ArrayList<>(1);
        String s = payload;
        while (!s.isEmpty()) {
            int head = s.indexOf("\r\n\r\n");
            if (head < 0) {
                out.add(s);
                break;
            }
            Matcher cl = CONTENT_LENGTH.matcher(s).region(0, head + 2);
            long end = head + 4L + (cl.find() ? Long.parseLong(cl.group(1)) : 0);
            if (end >= s.length()) {
                out.add(s);
                break;
            }
            out.add(s.substring(0, (int) end));
            s = s.substring((int) end);
        }
        return out;
    }
}
