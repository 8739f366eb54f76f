package org.heptap.core.spi;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Promise;

/** What a secured stream collector does with each new connection (see {@link StreamSecurityProvider}). */
public interface StreamSecurity {
    /** One line for the start-up log (CA, client certificate, verification), no secrets. */
    String describe();

    /** Called once at transport start: loads keys and says what is unsafe (e.g. verification off). */
    default void start(String transportName, String collector) {}

    /**
     * Adds the security handlers to a freshly connected channel and completes {@code ready} once
     * the secure session is up, or fails it with a cause an operator can read (e.g. "certificate
     * not trusted"). Nothing is written to the channel before {@code ready} succeeds.
     */
    void secure(Channel channel, String host, int port, Promise<Void> ready);
}
