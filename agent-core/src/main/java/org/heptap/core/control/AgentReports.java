package org.heptap.core.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.heptap.core.config.SocketSettings;
import org.heptap.core.ledger.LossLedger;
import org.heptap.core.pipeline.Agent;
import org.heptap.core.pipeline.SocketPipeline;
import org.heptap.core.spi.Transport;

/**
 * The documents an operator reads about a running agent, built once for every way of asking:
 * the control socket ({@code heptapctl status}, {@code stats}) and the web API serve the same
 * maps, so they cannot disagree. No secret is in them: transports describe themselves without
 * passwords or keys ({@link Transport#describe()}).
 */
public final class AgentReports {
    private AgentReports() {}

    /** {@code heptapctl status}: version, uptime, every socket and transport. */
    public static Map<String, Object> status(Operations ops) {
        Agent agent = ops.agent();
        Map<String, Object> m = Answers.ok();
        m.put("version", ops.version());
        m.put("pid", ProcessHandle.current().pid());
        m.put("uptime-seconds", (System.currentTimeMillis() - agent.startedMillis()) / 1000);
        m.put("config", agent.config().file());
        m.put("reloads", agent.reloads());
        List<Map<String, Object>> sockets = new ArrayList<>();
        for (SocketPipeline p : agent.pipelines()) {
            Map<String, Object> s = new LinkedHashMap<>();
            SocketSettings settings = p.settings();
            s.put("name", settings.name());
            if (settings.isCollector()) {
                // it listens instead of capturing: no device, no port filter
                s.put("state", p.paused() ? "paused" : "listening");
                s.put(
                        "listen",
                        settings.collector().listen().stream()
                                .map(Object::toString)
                                .collect(Collectors.joining(", ")));
            } else {
                s.put("state", p.paused() ? "paused" : "capturing");
                s.put("device", settings.device());
                s.put("ports", settings.ports().toString());
            }
            s.put("plan", p.plan().source());
            s.put("captured", p.stats().frames());
            sockets.add(s);
        }
        m.put("sockets", sockets);
        List<Map<String, Object>> transports = new ArrayList<>();
        for (Transport t : agent.config().transports().values()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", t.name());
            s.put("describe", t.describe());
            Map<String, Long> c = t.counters();
            s.put("state", c.getOrDefault("queued", 0L) > 0 ? "sending" : "idle");
            Map<String, Boolean> collectors = t.collectorHealth();
            if (!collectors.isEmpty()) s.put("collectors", collectors);
            s.put("counters", c);
            transports.add(s);
        }
        m.put("transports", transports);
        return m;
    }

    /** {@code heptapctl stats}: the loss ledger, and each module's own counters (e.g. what a ring kept and evicted). */
    public static Map<String, Object> stats(Agent agent) {
        Map<String, Object> m = Answers.ok("ledger", LossLedger.of(agent).toMap());
        Map<String, Object> modules = new java.util.LinkedHashMap<>();
        for (org.heptap.core.spi.HeptapModule module : agent.config().modules()) {
            Map<String, Long> c = module.counters();
            if (!c.isEmpty()) modules.put(module.name(), c);
        }
        m.put("modules", modules);
        return m;
    }

    /**
     * Whether the agent does its job now: every socket captures (a paused one counts, an operator
     * paused it) and every collector of every transport is reachable. {@code healthy} is the
     * verdict, {@code problems} says what is wrong in words.
     */
    public static Map<String, Object> health(Agent agent) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> sockets = new LinkedHashMap<>();
        for (SocketPipeline p : agent.pipelines()) {
            String name = p.settings().name();
            boolean up = agent.capturing(name);
            String state = p.paused() ? "paused" : up ? "capturing" : "not capturing";
            sockets.put(name, state);
            if (!up) problems.add("socket " + name + " is not capturing");
        }
        Map<String, Object> transports = new LinkedHashMap<>();
        for (Transport t : agent.config().transports().values()) {
            Map<String, Boolean> collectors = t.collectorHealth();
            transports.put(t.name(), collectors);
            collectors.forEach((target, ok) -> {
                if (!ok) problems.add("transport " + t.name() + ": collector " + target + " is unreachable");
            });
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("healthy", problems.isEmpty());
        m.put("problems", problems);
        m.put("sockets", sockets);
        m.put("transports", transports);
        return m;
    }

    /** One JSON line, as the control socket writes it. */
    public static String json(Map<String, Object> report) {
        return Answers.line(report);
    }
}
