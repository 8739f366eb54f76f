package org.heptap.core.spi;

import org.heptap.core.message.Message;

/**
 * What a collector socket answers on its own ({@code reply: true}) when the plan sent no final
 * response to a received message. Exported by the module that knows the protocol
 * ({@link HeptapModule#autoResponders()}), chosen per socket by name ({@code responder: sip}).
 */
public interface AutoResponder {
    /** Name a socket chooses it by. */
    String name();

    /**
     * The response to send for {@code message} (its payload is the received bytes again, even if
     * the plan replaced it), or null when it gets none (not a request this responder answers,
     * unparsable). Runs on the socket's thread after the plan.
     */
    byte[] respond(Message message);
}
