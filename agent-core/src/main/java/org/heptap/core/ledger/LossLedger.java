package org.heptap.core.ledger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heptap.core.capture.CaptureStats;
import org.heptap.core.decode.DecodeResult;
import org.heptap.core.pipeline.Agent;
import org.heptap.core.pipeline.SocketPipeline;
import org.heptap.core.pipeline.SocketStats;
import org.heptap.core.spi.Transport;

/**
 * Where every message went, stage by stage, so an operator can tell whether the agent loses
 * packets and where. Each stage balances on its own — what came in equals what went out plus
 * each named loss — because one frame may carry no message and one message may go to several
 * transports, so counts only match within a stage:
 * <ul>
 * <li>capture (live): kernel received = frames read + kernel dropped + not delivered (still in
 *     the kernel buffer, or skipped by libpcap itself: on {@code lo} the kernel counts each packet
 *     twice, outgoing and incoming, and libpcap delivers one; never negative)</li>
 * <li>decode: frames = messages delivered + each decode result that yields none + paused</li>
 * <li>plan: messages decoded + messages framed from TCP streams = sent by the plan + skipped by
 *     the plan (incl. plan errors) + not admitted + discarded (by address, by each module list) +
 *     TCP segments taken into streams (they come back as the framed messages)</li>
 * <li>transport: messages offered + packets an earlier run left in the transport's spool (sent
 *     first) + the extra copies of a fan-out to several collectors = sent + queued + each
 *     transport loss + spooled not yet replayed; a collector's own share of these (counters
 *     named {@code "<collector> <counter>"}) is shown, not counted twice</li>
 * </ul>
 * Counters are read while the agent runs, so a stage read mid-packet may be off by the packets in
 * flight; read after traffic stops (or at exit) every stage balances exactly.
 */
public final class LossLedger {
    /** Transport counters that are neither output nor loss. */
    private static final List<String> NOT_LOSSES = List.of(
            "sent",
            "bytes",
            "queued",
            "spooled",
            "replayed",
            "reconnects",
            "buffered",
            // a file transport's files started and deleted by retention: not messages
            "files",
            "files-deleted",
            Transport.FROM_EARLIER_SPOOL,
            Transport.FAN_OUT_COPIES);

    /**
     * One balance: {@code in = out + Σ losses}; {@code inputs} names the parts of {@code in} when
     * it has more than one source (empty otherwise).
     */
    public record Stage(
            String name, String scope, long in, long out, Map<String, Long> losses, Map<String, Long> inputs) {
        public Stage(String name, String scope, long in, long out, Map<String, Long> losses) {
            this(name, scope, in, out, losses, Map.of());
        }

        public long lossTotal() {
            return losses.values().stream().mapToLong(Long::longValue).sum();
        }

        public boolean balanced() {
            return in == out + lossTotal() && losses.values().stream().allMatch(v -> v >= 0);
        }
    }

    private final List<Stage> stages;
    private final Map<String, Object> sockets;
    private final Map<String, Object> transports;

    private LossLedger(List<Stage> stages, Map<String, Object> sockets, Map<String, Object> transports) {
        this.stages = stages;
        this.sockets = sockets;
        this.transports = transports;
    }

    public static LossLedger of(Agent agent) {
        List<Stage> stages = new ArrayList<>();
        Map<String, Object> sockets = new LinkedHashMap<>();
        for (SocketPipeline p : agent.pipelines()) {
            String name = p.settings().name();
            SocketStats s = p.stats().reading(); // as of a packet boundary: the socket's stages balance
            CaptureStats k = agent.currentCaptureStats(p);
            Map<String, Long> c = new LinkedHashMap<>();
            c.put("kernel-received", k.received());
            c.put("kernel-dropped", k.dropped());
            c.put("interface-dropped", k.ifDropped());
            c.put("captured", s.frames());
            c.put("paused", s.pausedFrames());
            for (DecodeResult r : DecodeResult.values()) c.put("decode-" + key(r), s.decodeResult(r));
            c.put("decoded", s.decoded());
            c.put("not-admitted", s.notAdmitted());
            c.put("discarded-ip", s.discardedIp());
            c.putAll(s.discardedByList());
            c.put("tcp-segments", s.streamSegments());
            c.put("tcp-messages", s.streamMessages());
            c.put("plan-sent", s.sentMessages());
            c.put("plan-skipped", s.skippedMessages());
            c.put("plan-errors", s.planErrors());
            c.put("transport-sends", s.transportSends());
            c.put("transport-refused", s.transportRefused());
            c.putAll(p.collectorCounters());
            sockets.put(name, c);

            if (k.received() > 0 || k.dropped() > 0) {
                Map<String, Long> l = new LinkedHashMap<>();
                l.put("kernel-dropped", k.dropped());
                l.put("not-delivered", k.received() - k.dropped() - s.frames());
                stages.add(new Stage("capture", "socket " + name, k.received(), s.frames(), l));
            }
            Map<String, Long> dl = new LinkedHashMap<>();
            for (DecodeResult r : DecodeResult.values()) {
                if (r != DecodeResult.DELIVERED) dl.put("decode-" + key(r), s.decodeResult(r));
            }
            dl.put("paused", s.pausedFrames());
            stages.add(new Stage("decode", "socket " + name, s.frames(), s.decodeResult(DecodeResult.DELIVERED), dl));
            Map<String, Long> pl = new LinkedHashMap<>();
            pl.put("not-admitted", s.notAdmitted());
            pl.put("discarded-ip", s.discardedIp());
            pl.putAll(s.discardedByList());
            pl.put("into-tcp-streams", s.streamSegments());
            pl.put("plan-skipped", s.skippedMessages());
            stages.add(new Stage("plan", "socket " + name, s.decoded() + s.streamMessages(), s.sentMessages(), pl));
        }
        Map<String, Object> transports = new LinkedHashMap<>();
        for (String t : agent.transportNames()) {
            Map<String, Long> c = agent.transportTotals(t);
            if (c == null) continue;
            long offered = agent.offered(t);
            Map<String, Long> out = new LinkedHashMap<>();
            out.put("offered", offered);
            out.putAll(c);
            out.putIfAbsent("queued", 0L);
            out.putIfAbsent("spooled", 0L);
            out.putIfAbsent("replayed", 0L);
            transports.put(t, out);
            stages.add(transportStage(t, offered, c));
        }
        return new LossLedger(stages, sockets, transports);
    }

    /**
     * The transport stage of one transport: {@code offered} messages in, its counters
     * ({@link org.heptap.core.spi.Transport#counters()}, totals across reloads) for the rest.
     */
    public static Stage transportStage(String name, long offered, Map<String, Long> counters) {
        long inherited = counters.getOrDefault(Transport.FROM_EARLIER_SPOOL, 0L);
        long copies = counters.getOrDefault(Transport.FAN_OUT_COPIES, 0L);
        Map<String, Long> l = new LinkedHashMap<>();
        l.put("queued", counters.getOrDefault("queued", 0L));
        // what the spool holds (or has in flight) now: inherited + appended - taken out and written
        l.put(
                "spool-pending",
                inherited + counters.getOrDefault("spooled", 0L) - counters.getOrDefault("replayed", 0L));
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            if (!NOT_LOSSES.contains(e.getKey()) && !Transport.isCollectorShare(e.getKey()))
                l.put(e.getKey(), e.getValue());
        }
        Map<String, Long> inputs = inherited == 0 && copies == 0 ? Map.of() : inputs(offered, inherited, copies);
        return new Stage(
                "transport",
                "transport " + name,
                offered + inherited + copies,
                counters.getOrDefault("sent", 0L),
                l,
                inputs);
    }

    private static Map<String, Long> inputs(long offered, long inherited, long copies) {
        Map<String, Long> in = new LinkedHashMap<>();
        in.put("offered", offered);
        if (inherited != 0) in.put(Transport.FROM_EARLIER_SPOOL, inherited);
        if (copies != 0) in.put(Transport.FAN_OUT_COPIES, copies);
        return in;
    }

    private static String key(DecodeResult r) {
        return r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public List<Stage> stages() {
        return stages;
    }

    public boolean balanced() {
        return stages.stream().allMatch(Stage::balanced);
    }

    /** Per socket: every counter by name. */
    @SuppressWarnings("unchecked")
    public Map<String, Long> socket(String name) {
        return (Map<String, Long>) sockets.get(name);
    }

    /** Per transport: offered and the transport's own counters, totals across reloads. */
    @SuppressWarnings("unchecked")
    public Map<String, Long> transport(String name) {
        return (Map<String, Long>) transports.get(name);
    }

    public Map<String, Object> sockets() {
        return sockets;
    }

    public Map<String, Object> transports() {
        return transports;
    }

    /** Sum of what every transport delivered. */
    public long sent() {
        long n = 0;
        for (Object o : transports.values()) n += ((Map<?, ?>) o).get("sent") instanceof Long l ? l : 0;
        return n;
    }

    /** Messages offered to transports and not delivered (queued at exit, dropped, failed, ...). */
    public long unsent() {
        long n = 0;
        for (Stage s : stages) {
            // a console set not to print (not a terminal, mode never) discards by design: not a loss
            if (s.name().equals("transport")) n += s.in() - s.out() - s.losses().getOrDefault(SILENCED, 0L);
        }
        return n;
    }

    /** Console output switched off by configuration: balanced like a loss, reported apart from one. */
    static final String SILENCED = "silenced";

    /** A JSON-ready tree: sockets, transports, stages with their balance, and the verdict. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sockets", sockets);
        m.put("transports", transports);
        List<Map<String, Object>> st = new ArrayList<>();
        for (Stage s : stages) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("stage", s.name());
            e.put("scope", s.scope());
            e.put("in", s.in());
            if (!s.inputs().isEmpty()) e.put("inputs", s.inputs());
            e.put("out", s.out());
            e.put("losses", s.losses());
            e.put("balanced", s.balanced());
            st.add(e);
        }
        m.put("stages", st);
        m.put("balanced", balanced());
        return m;
    }

    /** Human-readable: one line per stage, {@code in = out + losses}, then the verdict. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (Stage s : stages) {
            sb.append(String.format("%-9s %-22s in %d", s.name(), s.scope(), s.in()));
            if (!s.inputs().isEmpty()) {
                StringBuilder parts = new StringBuilder();
                s.inputs()
                        .forEach((k, v) -> parts.append(parts.length() > 0 ? " + " : "")
                                .append(k)
                                .append(' ')
                                .append(v));
                sb.append(" (").append(parts).append(')');
            }
            sb.append(" = out ").append(s.out());
            s.losses().forEach((k, v) -> {
                if (v != 0) sb.append(" + ").append(k).append(' ').append(v);
            });
            sb.append(
                            s.balanced()
                                    ? "  ok"
                                    : "  DOES NOT BALANCE (differs by " + (s.in() - s.out() - s.lossTotal()) + ")")
                    .append('\n');
        }
        sb.append(balanced() ? "ledger balances: every message is accounted for\n" : "ledger does NOT balance\n");
        return sb.toString();
    }

    /**
     * The final log line: what was captured, what reached collectors, what did not and why.
     * Totals add up over sockets (each socket reads a capture file whole, so two sockets count
     * its frames twice) and over transports; with more than one, each is named in parentheses.
     */
    public String summaryLine() {
        long captured = 0;
        StringBuilder perSocket = new StringBuilder();
        for (Map.Entry<String, Object> e : sockets.entrySet()) {
            long n = ((Map<?, ?>) e.getValue()).get("captured") instanceof Long l ? l : 0;
            captured += n;
            perSocket
                    .append(perSocket.length() > 0 ? ", " : "")
                    .append(e.getKey())
                    .append(' ')
                    .append(n);
        }
        StringBuilder perTransport = new StringBuilder();
        for (Map.Entry<String, Object> e : transports.entrySet()) {
            long n = ((Map<?, ?>) e.getValue()).get("sent") instanceof Long l ? l : 0;
            perTransport
                    .append(perTransport.length() > 0 ? ", " : "")
                    .append(e.getKey())
                    .append(' ')
                    .append(n);
        }
        StringBuilder sb =
                new StringBuilder("ledger: captured ").append(captured).append(" frames");
        if (sockets.size() > 1) sb.append(" (by socket: ").append(perSocket).append(')');
        sb.append(", sent ").append(sent()).append(" messages");
        if (transports.size() > 1)
            sb.append(" (by transport: ").append(perTransport).append(')');
        sb.append(", unsent ").append(unsent());
        StringBuilder why = new StringBuilder();
        for (Stage s : stages) {
            if (!s.name().equals("transport")) continue;
            s.losses().forEach((k, v) -> {
                if (v != 0 && !k.equals(SILENCED))
                    why.append(why.length() > 0 ? ", " : "")
                            .append(s.scope())
                            .append(' ')
                            .append(k)
                            .append(' ')
                            .append(v);
            });
        }
        if (why.length() > 0) sb.append(" (").append(why).append(')');
        return sb.append(balanced() ? "; balanced" : "; DOES NOT BALANCE").toString();
    }
}
