package org.heptap.core.pipeline;

import java.time.Duration;
import java.util.Map;
import org.heptap.core.message.Message;
import org.heptap.core.spi.Transport;

/**
 * What a socket's plan sees when it names a transport: the real transport, plus counting of the
 * sends on the socket's side, so the socket knows which messages its plan sent and which it
 * skipped without the plan functions having to report anything.
 */
final class CountingTransport implements Transport {
    private final Transport target;
    private final SocketStats stats;
    private final java.util.concurrent.atomic.LongAdder offered;

    CountingTransport(Transport target, SocketStats stats) {
        this(target, stats, new java.util.concurrent.atomic.LongAdder());
    }

    /** {@code offered}: every message handed to this transport by any socket (the ledger's transport input). */
    CountingTransport(Transport target, SocketStats stats, java.util.concurrent.atomic.LongAdder offered) {
        this.target = target;
        this.stats = stats;
        this.offered = offered;
    }

    @Override
    public String name() {
        return target.name();
    }

    @Override
    public String describe() {
        return target.describe();
    }

    @Override
    public boolean send(Message message) {
        stats.add(SocketStats.SENDS);
        offered.increment();
        boolean ok = target.send(message);
        if (!ok) stats.add(SocketStats.SEND_REFUSED);
        return ok;
    }

    @Override
    public boolean drain(Duration timeout) {
        return target.drain(timeout);
    }

    @Override
    public void close() {
        /* the agent closes the real transport */
    }

    @Override
    public Map<String, Long> counters() {
        return target.counters();
    }

    @Override
    public Transport unwrap() {
        return target.unwrap();
    }

    @Override
    public Transport variant(String name) {
        Transport v = target.variant(name);
        return v == null ? null : new CountingTransport(v, stats, offered);
    }
}
