package org.heptap.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import org.heptap.core.message.Message;
import org.heptap.core.spi.WatchFilterProvider;
import org.junit.jupiter.api.Test;

class SipWatchFilterProviderTest {
    private static final String INVITE =
            "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
                    + "From: \"Alice\" <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: abc123@10.0.0.1\r\n"
                    + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
    private static final String RINGING = "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
            + "From: \"Alice\" <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>;tag=2\r\nCall-ID: abc123@10.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
    private static final String BYE = INVITE.replace("INVITE sip", "BYE sip").replace("1 INVITE", "2 BYE");

    private static Message msg(String text) {
        Message m = new Message();
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        m.setPayload(b, 0, b.length);
        return m;
    }

    @Test
    void is_found_through_the_spi() {
        assertTrue(ServiceLoader.load(WatchFilterProvider.class).stream()
                .anyMatch(p -> p.type() == SipWatchFilterProvider.class));
    }

    @Test
    void method_matches_requests_and_their_responses_by_cseq() {
        Predicate<Message> f = new SipWatchFilterProvider().create(Map.of("method", "invite"));
        assertTrue(f.test(msg(INVITE)));
        assertTrue(f.test(msg(RINGING)));
        assertFalse(f.test(msg(BYE)));
        assertFalse(f.test(msg("hello, not SIP")));
    }

    @Test
    void user_and_call_id() {
        SipWatchFilterProvider p = new SipWatchFilterProvider();
        assertTrue(p.create(Map.of("user", "alice")).test(msg(INVITE)));
        assertTrue(p.create(Map.of("user", "BOB")).test(msg(RINGING)));
        assertFalse(p.create(Map.of("user", "carol")).test(msg(INVITE)));
        assertTrue(p.create(Map.of("call-id", "abc123@10.0.0.1")).test(msg(BYE)));
        assertFalse(p.create(Map.of("call-id", "abc123")).test(msg(BYE)));
        assertFalse(p.create(Map.of("method", "BYE", "user", "carol")).test(msg(BYE)));
    }
}
