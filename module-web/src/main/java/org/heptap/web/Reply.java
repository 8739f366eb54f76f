package org.heptap.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.heptap.core.control.AgentReports;

/** One answer of the web server: status, content type and body (extra headers, e.g. a download's name). */
record Reply(HttpResponseStatus status, String type, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json; charset=utf-8";

    static Reply json(HttpResponseStatus status, Map<String, Object> document) {
        return new Reply(status, JSON, AgentReports.json(document).getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Reply json(Map<String, Object> document) {
        return json(HttpResponseStatus.OK, document);
    }

    static Reply error(HttpResponseStatus status, String message) {
        return json(status, Map.of("ok", false, "error", message));
    }
}
