package org.heptap.core.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.heptap.core.ledger.LossLedger;
import org.heptap.core.pipeline.Agent;

/**
 * {@code GET /metrics} in Prometheus text format: the loss ledger's counters (the same numbers
 * as {@code heptapctl stats}) as {@code heptap.socket.*} with a {@code socket} tag and
 * {@code heptap.transport.*} with a {@code transport} tag — e.g. {@code heptap.packets.captured}
 * becomes {@code heptap_packets_captured_total{socket="sip"}} — plus JVM and process metrics.
 * Meters for sockets and transports are registered at each scrape for names not seen before
 * (a reload may add transports); their values are read from one ledger per scrape. Modules add
 * counters of their own through {@link ModuleCounters} (a protocol module's
 * {@code heptap_sip_requests_total{socket,method}}, ...) and histograms ({@link HistogramText}). Every meter has a one-line help text.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final Logger LOG = System.getLogger(MetricsEndpoint.class.getName());

    private final Agent agent;
    /** The module counters to show at each scrape (a reload brings new ones). */
    private final Supplier<ModuleCounters> moduleCounters;
    /** Those of the scrape in progress. */
    private volatile ModuleCounters modules;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile LossLedger ledger;
    private HttpServer server;

    /** Shows the module counters of whichever configuration the agent runs at the time of each scrape. */
    public MetricsEndpoint(Agent agent) {
        this(agent, agent::moduleCounters);
    }

    /** @param moduleCounters the counters the agent's modules registered, asked at each scrape */
    public MetricsEndpoint(Agent agent, Supplier<ModuleCounters> moduleCounters) {
        this.agent = agent;
        this.moduleCounters = moduleCounters;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Micrometer name of a socket counter of the ledger. */
    static String socketMeter(String key) {
        return switch (key) {
            case "captured" -> "heptap.packets.captured";
            case "paused" -> "heptap.packets.paused";
            case "kernel-received" -> "heptap.kernel.received";
            case "kernel-dropped" -> "heptap.kernel.dropped";
            case "interface-dropped" -> "heptap.interface.dropped";
            case "decoded" -> "heptap.messages.decoded";
            default ->
                key.startsWith("decode-")
                        ? "heptap.packets." + key.replace('-', '.')
                        : "heptap.messages." + key.replace('-', '.');
        };
    }

    /** Updates the meters and renders them: one ledger read per scrape, so all values agree. */
    public synchronized String scrape() {
        LossLedger l = LossLedger.of(agent);
        ledger = l;
        for (Map.Entry<String, Object> s : l.sockets().entrySet()) {
            String socket = s.getKey();
            for (String key : l.socket(socket).keySet()) {
                if (!registered.add("s/" + socket + "/" + key)) continue;
                FunctionCounter.builder(socketMeter(key), this, me -> value(me.ledger.socket(socket), key))
                        .description(MeterHelp.socket(key))
                        .tag("socket", socket)
                        .register(registry);
            }
        }
        for (Map.Entry<String, Object> t : l.transports().entrySet()) {
            String name = t.getKey();
            for (String key : l.transport(name).keySet()) {
                if (!registered.add("t/" + name + "/" + key)) continue;
                String meter = "heptap.transport." + key.replace('-', '.');
                String help = MeterHelp.transport(key);
                if (key.equals("queued") || key.equals("buffered")) {
                    Gauge.builder(meter, this, me -> value(me.ledger.transport(name), key))
                            .description(help)
                            .tag("transport", name)
                            .register(registry);
                } else {
                    FunctionCounter.builder(meter, this, me -> value(me.ledger.transport(name), key))
                            .description(help)
                            .tag("transport", name)
                            .register(registry);
                }
            }
        }
        ModuleCounters now = moduleCounters.get();
        modules = now;
        for (ModuleCounters.Series m : now.series()) {
            if (!registered.add("m/" + m.name() + "/" + m.tags())) continue;
            // read through the scrape's counters, not this series' adder: a reload replaces the adder
            FunctionCounter.Builder<MetricsEndpoint> b = FunctionCounter.builder(
                            m.name(), this, me -> me.modules.count(m))
                    .description(m.help());
            m.tags().forEach(b::tag);
            b.register(registry);
        }
        if (registered.add("balanced")) {
            Gauge.builder("heptap.ledger.balanced", this, me -> me.ledger.balanced() ? 1 : 0)
                    .description("1 when every stage of the loss ledger balances")
                    .register(registry);
        }
        return registry.scrape() + HistogramText.render(now.histograms());
    }

    private static double value(Map<String, Long> counters, String key) {
        if (counters == null) return 0;
        Long v = counters.get(key);
        return v == null ? 0 : v;
    }

    /** Serves /metrics on host:port until closed. */
    public void start(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 8);
        server.createContext("/metrics", ex -> {
            byte[] body;
            try {
                body = scrape().getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "metrics: scrape failed: " + e);
                ex.sendResponseHeaders(500, -1);
                ex.close();
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.setExecutor(null);
        server.start();
        LOG.log(
                Level.INFO,
                "metrics: http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                        + server.getAddress().getPort() + "/metrics");
    }

    @Override
    public void close() {
        if (server != null) server.stop(0);
        registry.close();
    }
}
