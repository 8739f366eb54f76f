package org.heptap.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.heptap.core.spi.ActiveCalls;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.CallRecords;

/**
 * {@code /api/calls}, {@code /api/calls/ID} and {@code /api/calls/ID/pcap}: the calls the running
 * configuration keeps ({@link CallRecords}, the call ring) with their media quality when it is
 * measured ({@link ActiveCalls} now, {@link QualityHistory} over time). Answered on the web
 * server's worker thread, never on its network thread.
 */
final class CallsApi {
    static final String PREFIX = "/api/calls";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int MAX_MESSAGES = 2000;
    /** A call's pcap is built in memory before it is sent: one larger than this is refused. */
    static final int MAX_PCAP = 64 << 20;

    static final String NO_RING =
            "this agent keeps no calls: set modules.ring.size in its configuration (or start it with --ring SIZE)";

    private final Supplier<AgentContext> agent;
    private final QualityHistory quality;
    private final int maxPcap;

    CallsApi(Supplier<AgentContext> agent, QualityHistory quality, int maxPcap) {
        this.agent = agent;
        this.quality = quality;
        this.maxPcap = maxPcap;
    }

    /** The answer to {@code uri}, whose path starts with {@link #PREFIX}. */
    Reply get(String uri) {
        QueryStringDecoder q = new QueryStringDecoder(uri);
        String raw = q.rawPath();
        if (raw.equals(PREFIX) || raw.equals(PREFIX + "/")) return list(q.parameters());
        if (!raw.startsWith(PREFIX + "/"))
            return Reply.error(HttpResponseStatus.NOT_FOUND, "no such page: " + q.path());
        String[] parts = raw.substring(PREFIX.length() + 1).split("/", -1);
        String id = QueryStringDecoder.decodeComponent(parts[0]);
        if (id.isEmpty()) return Reply.error(HttpResponseStatus.NOT_FOUND, "no such page: " + q.path());
        if (parts.length == 1) return call(id);
        if (parts.length == 2 && parts[1].equals("pcap")) return pcap(id);
        return Reply.error(
                HttpResponseStatus.NOT_FOUND, "no such page: " + q.path() + " (/api/calls/ID or /api/calls/ID/pcap)");
    }

    private Reply list(Map<String, List<String>> params) {
        CallRecords.Query query;
        try {
            query = query(params);
        } catch (IllegalArgumentException e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        AgentContext a = agent.get();
        CallRecords.Source source = CallRecords.of(a).source();
        ActiveCalls measured = ActiveCalls.of(a);
        Map<String, List<ActiveCalls.Direction>> live = live(measured);
        List<Map<String, Object>> out = new ArrayList<>();
        if (source != null) {
            for (CallRecords.Call c : source.calls(query))
                out.add(call(c, live.getOrDefault(c.callId(), List.of()), false));
        } else if (measured.measured()) {
            // no ring: the calls whose media is measured now, known by their id only
            for (Map.Entry<String, List<ActiveCalls.Direction>> e : live.entrySet()) {
                if (out.size() >= query.limit()) break;
                if (!matches(e.getKey(), query)) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("call-id", e.getKey());
                m.put("quality", quality.directions(e.getKey(), e.getValue(), false));
                out.add(m);
            }
        } else {
            return Reply.error(HttpResponseStatus.NOT_FOUND, NO_RING);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", true);
        doc.put("ring", source != null);
        doc.put("media-quality", measured.measured());
        doc.put("calls", out);
        return Reply.json(doc);
    }

    private static boolean matches(String callId, CallRecords.Query q) {
        return q.number() == null
                && (q.callId() == null || q.callId().equals(callId))
                && (q.text() == null
                        || callId.toLowerCase(java.util.Locale.ROOT)
                                .contains(q.text().toLowerCase(java.util.Locale.ROOT)));
    }

    private static Map<String, List<ActiveCalls.Direction>> live(ActiveCalls measured) {
        Map<String, List<ActiveCalls.Direction>> m = new LinkedHashMap<>();
        if (!measured.measured()) return m;
        for (ActiveCalls.Call c : measured.calls())
            m.computeIfAbsent(c.callId(), k -> new ArrayList<>()).addAll(c.directions());
        return m;
    }

    private Map<String, Object> call(CallRecords.Call c, List<ActiveCalls.Direction> live, boolean samples) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("call-id", c.callId());
        m.put("from", c.from());
        m.put("to", c.to());
        m.put("state", c.state());
        m.put("start", Instant.ofEpochSecond(0, c.startNanos()).toString());
        m.put("last", Instant.ofEpochSecond(0, c.lastNanos()).toString());
        m.put("duration-seconds", Math.round((c.lastNanos() - c.startNanos()) / 1e6) / 1000.0);
        m.put("frames", c.frames());
        m.put("quality", quality.directions(c.callId(), live, samples));
        return m;
    }

    /** The list's filters; refused with a message naming the bad one. */
    static CallRecords.Query query(Map<String, List<String>> params) {
        for (String k : params.keySet()) {
            if (!List.of("q", "number", "call-id", "since", "until", "limit").contains(k))
                throw new IllegalArgumentException(
                        "unknown parameter '" + k + "' (q, number, call-id, since, until, limit)");
        }
        int limit = DEFAULT_LIMIT;
        String l = first(params, "limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT)
                throw new IllegalArgumentException("limit: '" + l + "' is not a number from 1 to " + MAX_LIMIT);
        }
        long since = time(first(params, "since"), "since", Long.MIN_VALUE);
        long until = time(first(params, "until"), "until", Long.MAX_VALUE);
        return new CallRecords.Query(
                blankToNull(first(params, "q")),
                blankToNull(first(params, "number")),
                blankToNull(first(params, "call-id")),
                since,
                until,
                limit);
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> v = params.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** An ISO-8601 instant ({@code 2026-12-03T14:00:00Z}) or seconds since the epoch, as ns. */
    static long time(String text, String name, long absent) {
        if (text == null || text.isBlank()) return absent;
        try {
            if (text.matches("\\d{1,12}(\\.\\d{1,9})?"))
                return new java.math.BigDecimal(text).movePointRight(9).longValueExact();
            Instant t = Instant.parse(text);
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    name + ": '" + text + "' is not a time (2026-12-03T14:00:00Z, or seconds since 1970)");
        }
    }

    private Reply call(String id) {
        AgentContext a = agent.get();
        CallRecords.Source source = CallRecords.of(a).source();
        Map<String, List<ActiveCalls.Direction>> live = live(ActiveCalls.of(a));
        if (source == null) {
            if (!live.containsKey(id)) return Reply.error(HttpResponseStatus.NOT_FOUND, NO_RING);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("ok", true);
            doc.put("call", Map.of("call-id", id));
            doc.put("messages", List.of());
            doc.put("quality", quality.directions(id, live.get(id), true));
            return Reply.json(doc);
        }
        List<CallRecords.Call> found =
                source.calls(new CallRecords.Query(null, null, id, Long.MIN_VALUE, Long.MAX_VALUE, 1));
        List<CallRecords.Exchange> messages = found.isEmpty() ? null : source.messages(id, MAX_MESSAGES);
        if (messages == null)
            return Reply.error(
                    HttpResponseStatus.NOT_FOUND,
                    "no call with Call-ID " + id + " in the ring (/api/calls lists what it holds)");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ok", true);
        doc.put("call", call(found.get(0), live.getOrDefault(id, List.of()), true));
        List<Map<String, Object>> list = new ArrayList<>(messages.size());
        for (CallRecords.Exchange x : messages) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", Instant.ofEpochSecond(0, x.timeNanos()).toString());
            m.put("src", x.src());
            m.put("dst", x.dst());
            m.put("transport", x.transport());
            m.put("text", x.text());
            list.add(m);
        }
        doc.put("messages", list);
        doc.put("messages-cut", messages.size() >= MAX_MESSAGES);
        return Reply.json(doc);
    }

    private Reply pcap(String id) {
        CallRecords.Source source = CallRecords.of(agent.get()).source();
        if (source == null) return Reply.error(HttpResponseStatus.NOT_FOUND, NO_RING);
        BoundedBytes out = new BoundedBytes(maxPcap);
        try {
            if (!source.pcap(id, out))
                return Reply.error(
                        HttpResponseStatus.NOT_FOUND,
                        "no call with Call-ID " + id + " in the ring (/api/calls lists what it holds)");
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof BoundedBytes.Full)) throw e;
            return Reply.error(
                    HttpResponseStatus.INSUFFICIENT_STORAGE,
                    "the call's pcap is larger than " + (maxPcap >> 20)
                            + " MB: heptapctl pcap call-id=ID writes it whole");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Disposition", "attachment; filename=\"" + fileName(id) + "\"");
        return new Reply(HttpResponseStatus.OK, "application/vnd.tcpdump.pcap", out.toByteArray(), headers);
    }

    /** A file name made of the Call-ID's safe characters. */
    static String fileName(String id) {
        String safe = id.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 100) safe = safe.substring(0, 100);
        return safe + ".pcap";
    }

    /** Bytes in memory up to a bound; past it the writer hears {@link Full}. */
    static final class BoundedBytes extends ByteArrayOutputStream {
        static final class Full extends IOException {
            private static final long serialVersionUID = 1L;

            Full() {
                super("full");
            }
        }

        private final int max;

        BoundedBytes(int max) {
            this.max = max;
        }

        @Override
        public void write(int b) {
            if (count + 1 > max) throw new UncheckedIOException(new Full());
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > max) throw new UncheckedIOException(new Full());
            super.write(b, off, len);
        }
    }
}
