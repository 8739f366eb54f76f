package org.heptap.sip;

import java.nio.charset.StandardCharsets;
import org.heptap.core.message.Message;
import org.heptap.core.spi.AutoResponder;

/**
 * A collector socket's automatic answer ({@code responder: sip}): {@code 200 OK} to a PUBLISH
 * that parses as SIP (RFC 6035 reports), when the plan sent no final response itself. Anything
 * else (other requests, responses, junk) gets nothing unless the plan replies, so a plan decides
 * what e.g. an OPTIONS probe receives.
 */
final class SipPublishResponder implements AutoResponder {
    private static final byte[] PUBLISH = "PUBLISH".getBytes(StandardCharsets.US_ASCII);

    private final SipParser parser;
    private final SipReplyBuilder replies;

    SipPublishResponder(SipParser parser, SipReplyBuilder replies) {
        this.parser = parser;
        this.replies = replies;
    }

    @Override
    public String name() {
        return "sip";
    }

    @Override
    public byte[] respond(Message message) {
        // reuses the plan's parse when it parsed this payload; parses on its own otherwise
        SipMessage s = SipSlot.of(message).parse(parser, message, false);
        if (!s.isOk()
                || !s.isRequest()
                || s.length(SipField.METHOD) != PUBLISH.length
                || !s.startsWith(SipField.METHOD, PUBLISH)) {
            return null;
        }
        return replies.build(s, 200, "OK");
    }
}
