package org.heptap.sip;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.heptap.core.message.Message;
import org.heptap.core.spi.WatchFilterProvider;

/**
 * {@code heptapctl watch --method M --user U --call-id C}: SIP filters. A response matches
 * {@code --method} by its CSeq method, so {@code --method INVITE} shows the INVITE transaction;
 * {@code --user} matches the From, To or request-URI user.
 */
public final class SipWatchFilterProvider implements WatchFilterProvider {
    @Override
    public Set<String> options() {
        return Set.of("method", "user", "call-id");
    }

    @Override
    public Predicate<Message> create(Map<String, String> criteria) {
        String method = criteria.get("method");
        String user = criteria.get("user");
        String callId = criteria.get("call-id");
        SipParser parser = new SipParser();
        SipMessage sip = new SipMessage();
        return m -> {
            SipStatus st = parser.parse(m.payload(), m.payloadOffset(), m.payloadLength(), sip);
            if (st == SipStatus.NOT_SIP) return false;
            if (method != null) {
                String mm = sip.isRequest() ? sip.method() : sip.cseqMethod();
                if (mm == null || !mm.equalsIgnoreCase(method)) return false;
            }
            if (callId != null && !callId.equals(sip.callId())) return false;
            if (user != null) {
                String u = user.toLowerCase(Locale.ROOT);
                boolean hit = contains(sip.fromUser(), u) || contains(sip.toUser(), u) || contains(sip.requestUri(), u);
                if (!hit) return false;
            }
            return true;
        };
    }

    private static boolean contains(String field, String lowerNeedle) {
        return field != null && field.toLowerCase(Locale.ROOT).contains(lowerNeedle);
    }
}
