package org.heptap.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.function.Supplier;
import org.heptap.core.control.AgentReports;
import org.heptap.core.control.Operations;

/**
 * Routes a request path to its answer. The documents are the agent's own reports
 * ({@link AgentReports}), so {@code /api/stats} is {@code heptapctl stats --json} and
 * {@code /api/status} is {@code heptapctl status --json}, byte for byte.
 */
final class WebApi {
    private final Operations ops;
    private final RateSamples rates;
    private final StaticFiles files;
    private final Supplier<Map<String, Long>> webCounters;
    private final CallsApi calls;

    WebApi(
            Operations ops,
            RateSamples rates,
            StaticFiles files,
            Supplier<Map<String, Long>> webCounters,
            CallsApi calls) {
        this.ops = ops;
        this.rates = rates;
        this.files = files;
        this.webCounters = webCounters;
        this.calls = calls;
    }

    /**
     * True for the paths answered off the network thread: the calls read the ring (which may read
     * its spill files) and build a pcap, which must not hold up other clients' answers.
     */
    static boolean slow(String uri) {
        String path = new QueryStringDecoder(uri).rawPath();
        return path.equals(CallsApi.PREFIX) || path.startsWith(CallsApi.PREFIX + "/");
    }

    /** The answer to {@code GET uri}; {@code detail} false leaves out what only a signed-in client may read. */
    Reply get(String uri, boolean detail) {
        QueryStringDecoder q = new QueryStringDecoder(uri);
        String path = q.path();
        if (path.equals("/health")) return health(detail);
        if (slow(uri)) return calls.get(uri);
        Reply file = files.get(path);
        if (file != null) return file;
        return switch (path) {
            case "/api/status" -> Reply.json(AgentReports.status(ops));
            case "/api/stats" -> Reply.json(AgentReports.stats(ops.agent()));
            case "/api/rates" -> Reply.json(rates.toMap());
            case "/api/web" -> Reply.json(Map.of("ok", true, "web", webCounters.get()));
            default -> Reply.error(HttpResponseStatus.NOT_FOUND, "no such page: " + path);
        };
    }

    /** 200 when the agent is healthy, 503 when not; without sign-in only the verdict. */
    Reply health(boolean detail) {
        Map<String, Object> h = AgentReports.health(ops.agent());
        boolean healthy = Boolean.TRUE.equals(h.get("healthy"));
        HttpResponseStatus status = healthy ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
        return Reply.json(status, detail ? h : Map.of("healthy", healthy));
    }

    /** Paths anyone may ask for without credentials (the verdict of /health, for probes). */
    static boolean open(String uri) {
        return new QueryStringDecoder(uri).path().equals("/health");
    }
}
