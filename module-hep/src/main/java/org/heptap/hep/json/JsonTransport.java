package org.heptap.hep.json;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heptap.core.message.Message;
import org.heptap.core.spi.Transport;

/**
 * A {@code type: json} profile: the UDP/TCP collector machinery of module hep (queues, batching,
 * reconnects, fan-out/fail-over, counters) sending JSON documents. A type of its own so that
 * {@code send_json} and {@code send_hep} can tell at bind time which profile is which.
 */
public final class JsonTransport implements Transport {
    private final Transport collectors;
    private final JsonSettings settings;

    JsonTransport(Transport collectors, JsonSettings settings) {
        this.collectors = collectors;
        this.settings = settings;
    }

    @Override
    public String name() {
        return collectors.name();
    }

    @Override
    public String describe() {
        return collectors.describe();
    }

    @Override
    public void start() {
        collectors.start();
    }

    @Override
    public boolean send(Message message) {
        return collectors.send(message);
    }

    @Override
    public boolean drain(Duration timeout) {
        return collectors.drain(timeout);
    }

    @Override
    public void close() {
        collectors.close();
    }

    @Override
    public Map<String, Boolean> collectorHealth() {
        return collectors.collectorHealth();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>(collectors.counters());
        c.put("payload-not-utf8", settings.notUtf8());
        return c;
    }
}
