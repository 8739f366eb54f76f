package org.heptap.core.plan;

import java.time.Duration;
import java.util.Map;
import org.heptap.core.message.Message;
import org.heptap.core.spi.Transport;

/**
 * Stand-in for a transport profile that is not configured while a plan file is only checked.
 * Without a configuration a profile has no type, so it offers every variant (a raw send's
 * "raw" too): a plan checked alone is never told a profile is of the wrong type, whichever send
 * function names it.
 */
final class UncheckedTransport implements Transport {
    private final String name;

    UncheckedTransport(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return name + ": not configured (plan check only, sends nothing)";
    }

    @Override
    public boolean send(Message message) {
        return false;
    }

    @Override
    public boolean drain(Duration timeout) {
        return true;
    }

    @Override
    public void close() {}

    @Override
    public Map<String, Long> counters() {
        return Map.of();
    }

    @Override
    public Transport variant(String variant) {
        return this;
    }
}
