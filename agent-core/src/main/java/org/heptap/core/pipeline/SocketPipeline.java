package org.heptap.core.pipeline;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.heptap.core.capture.CaptureStats;
import org.heptap.core.capture.Frame;
import org.heptap.core.collector.CollectedMessages;
import org.heptap.core.collector.CollectorSocket;
import org.heptap.core.config.SocketSettings;
import org.heptap.core.decode.DecodeResult;
import org.heptap.core.decode.PacketDecoder;
import org.heptap.core.decode.tcp.TcpOptions;
import org.heptap.core.decode.tcp.TcpReassembler;
import org.heptap.core.discard.IpPrefixList;
import org.heptap.core.discard.SocketDiscards;
import org.heptap.core.log.RateLimitedLog;
import org.heptap.core.message.Message;
import org.heptap.core.plan.CompiledPlan;
import org.heptap.core.spi.CaptureFilterClause;
import org.heptap.core.spi.FrameRecorder;
import org.heptap.core.spi.MessageFilter;
import org.heptap.core.spi.MessageSink;
import org.heptap.core.spi.StreamFramer;

/**
 * decode → plan for one socket profile. Owned by one thread (the socket's capture thread, or the
 * shared file reader), so it keeps one reusable {@link Message} and allocates nothing per packet.
 */
public final class SocketPipeline {
    private static final Logger LOG = System.getLogger(SocketPipeline.class.getName());

    private final SocketSettings settings;
    /** The socket's own; in a replay, the decoder it shares with the sockets of the same decode options. */
    private PacketDecoder decoder;

    private final SocketStats stats;
    private volatile CompiledPlan plan;
    private final Message message = new Message();
    private final MessageSink onMessage = this::onPacket;
    private final MessageSink onStreamMessage = this::onStreamMessage;
    /** Null when the socket does not reassemble TCP: each segment's payload is a message of its own. */
    private final TcpReassembler tcp;
    /** At most one plan-error line per this many nanoseconds. */
    private static final long PLAN_ERROR_LOG_INTERVAL = 10_000_000_000L;

    private final RateLimitedLog planErrorLog;
    /** The socket's stream framer (collector sockets frame their TCP connections with it). */
    private final StreamFramer framer;
    /** Set while a collector socket serves this pipeline, for its counters. */
    private volatile CollectorSocket collector;
    /** Null when the socket discards no address. */
    private final IpPrefixList discardIps;

    private final MessageFilter[] discardFilters;
    /** The modules' filter clauses the socket turned on, tested on decoded packets in a replay. */
    private final CaptureFilterClause[] clauses;
    /**
     * The socket's transports and port ranges as plain fields and arrays, asked per packet (in a
     * replay by every socket for every packet): no string switch, no list walk.
     */
    private final boolean udpAdmitted;

    private final boolean tcpAdmitted;
    private final boolean sctpAdmitted;
    private final int[] portLow;
    private final int[] portHigh;
    /** The plan's timers, driven by this socket's clock (capture sockets only). */
    private final SocketTimers timers;
    /** Taken per frame only by a plan with timers: frames and timer turns from another thread take turns. */
    private final java.util.concurrent.locks.ReentrantLock timerLock = new java.util.concurrent.locks.ReentrantLock();

    public SocketPipeline(SocketSettings settings, CompiledPlan plan, SocketStats stats) {
        this(settings, plan, stats, null, null, System::nanoTime);
    }

    /**
     * @param framer    the stream framer named by the socket's settings; null leaves TCP unreassembled
     * @param webSocket the framer named {@value TcpOptions#WEBSOCKET_FRAMER}, for flows on the
     *                  socket's websocket-ports; null when no module or agent-core offers one
     */
    public SocketPipeline(
            SocketSettings settings,
            CompiledPlan plan,
            SocketStats stats,
            StreamFramer framer,
            StreamFramer webSocket) {
        this(settings, plan, stats, framer, webSocket, System::nanoTime);
    }

    /** @param clock nanoseconds for rate-limiting logs (tests set it) */
    SocketPipeline(
            SocketSettings settings,
            CompiledPlan plan,
            SocketStats stats,
            StreamFramer framer,
            StreamFramer webSocket,
            LongSupplier clock) {
        this.planErrorLog = new RateLimitedLog(1, PLAN_ERROR_LOG_INTERVAL, clock);
        this.timers = new SocketTimers(settings.name(), clock);
        this.settings = settings;
        this.plan = plan;
        this.stats = stats;
        this.decoder = new PacketDecoder(settings.decode());
        this.framer = framer;
        this.tcp = settings.tcp().reassemble() && framer != null && !settings.isCollector()
                ? new TcpReassembler(settings.tcp(), framer, webSocket != null ? webSocket : framer)
                : null;
        message.setSocketName(settings.name());
        SocketDiscards d = settings.discards() != null ? settings.discards() : SocketDiscards.NONE;
        this.discardIps = d.ips().isEmpty() ? null : d.ips();
        this.discardFilters = new MessageFilter[d.rules().size()];
        String[] names = new String[discardFilters.length];
        for (int i = 0; i < discardFilters.length; i++) {
            discardFilters[i] = d.rules().get(i).filter();
            names[i] = d.rules().get(i).counter();
        }
        stats.declareDiscardLists(names);
        this.clauses = settings.filterClauses().toArray(new CaptureFilterClause[0]);
        this.udpAdmitted = settings.admitsProtocol(Message.IP_PROTO_UDP);
        this.tcpAdmitted = settings.admitsProtocol(Message.IP_PROTO_TCP);
        this.sctpAdmitted = settings.admitsProtocol(Message.IP_PROTO_SCTP);
        this.portLow = settings.ports().stream().mapToInt(r -> r.low()).toArray();
        this.portHigh = settings.ports().stream().mapToInt(r -> r.high()).toArray();
    }

    /** The socket's transport and ports admit {@code m} (what its kernel filter's port test passes). */
    private boolean admits(Message m) {
        int proto = m.ipProtocol();
        if (proto == Message.IP_PROTO_UDP
                ? !udpAdmitted
                : proto == Message.IP_PROTO_TCP ? !tcpAdmitted : !(sctpAdmitted && proto == Message.IP_PROTO_SCTP))
            return false;
        int src = m.srcPort();
        int dst = m.dstPort();
        for (int i = 0; i < portLow.length; i++) {
            if ((src >= portLow[i] && src <= portHigh[i]) || (dst >= portLow[i] && dst <= portHigh[i])) return true;
        }
        return false;
    }

    public SocketSettings settings() {
        return settings;
    }

    public SocketStats stats() {
        return stats;
    }

    public PacketDecoder decoder() {
        return decoder;
    }

    /**
     * A replay decodes each frame once for every socket of the same decode options (see
     * {@link ReplayFanout}): this socket counts that decoder's work as its own (as it did when it
     * decoded every frame itself) and no longer uses its own. Before the first frame only.
     */
    void shareDecoder(PacketDecoder shared) {
        this.decoder = shared;
    }

    /**
     * Whether this socket's capture filter would have let {@code decoded} through live: its
     * transport, its ports, and the modules' clauses it turned on. A replay has no kernel
     * filter, so it asks this before handing a decoded packet to the socket.
     */
    boolean captures(Message decoded) {
        if (!admits(decoded)) return false;
        for (int i = 0; i < clauses.length; i++) {
            if (!clauses[i].admits(decoded)) return false;
        }
        return true;
    }

    /** The TCP reassembler, or null when TCP segments are taken one by one. */
    public TcpReassembler tcp() {
        return tcp;
    }

    /**
     * Every counter of this socket: the pipeline's, then reassembly, tunnels, dedup and TCP (for
     * the final log line and metrics).
     */
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>(stats.snapshot());
        decoder.addCounters(c);
        if (tcp != null) tcp.addCounters(c);
        if (timers.errors() > 0) c.put("timer-errors", timers.errors());
        CollectorSocket cs = collector;
        if (cs != null) cs.addCounters(c);
        return c;
    }

    public CompiledPlan plan() {
        return plan;
    }

    /** Swaps the plan between two packets (reload). */
    public void replacePlan(CompiledPlan next) {
        this.plan = next;
    }

    /**
     * Swaps the plan and waits (at most {@code maxWaitMillis}) until no packet is still running
     * through the old one, so the caller may drain and close what the old plan sent to. A packet
     * starts its plan run by raising {@code inPlan} and only then reads {@code plan}, so once the
     * flag is seen low after the swap every later run uses the new plan. Returns false on timeout.
     */
    public boolean replacePlanQuiesced(CompiledPlan next, long maxWaitMillis) {
        this.plan = next;
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000L;
        while (inPlan) {
            if (System.nanoTime() - deadline > 0) return false;
            Thread.onSpinWait();
            Thread.yield();
        }
        return true;
    }

    private volatile boolean inPlan;
    private volatile boolean paused;
    private volatile MessageSink tap;
    private static final FrameRecorder[] NO_RECORDERS = new FrameRecorder[0];
    /** The recorders of the running configuration that record this socket (copy on write). */
    private volatile FrameRecorder[] recorders = NO_RECORDERS;
    /** The frame being decoded (owned by the socket's thread); null for a collector's messages. */
    private Frame currentFrame;

    /** Installs the frame recorders of the configuration in force (start, reload); none with an empty list. */
    public void setRecorders(java.util.List<FrameRecorder> rs) {
        this.recorders = rs.toArray(NO_RECORDERS);
    }

    /** Pauses (true) or resumes the socket: while paused, frames are read and counted, not decoded. */
    public void setPaused(boolean p) {
        this.paused = p;
    }

    public boolean paused() {
        return paused;
    }

    /**
     * Installs (or, with null, removes) a tap that sees every admitted message before the plan
     * (heptapctl watch). It runs on the capture thread: it must copy what it keeps and never block.
     */
    public void setTap(MessageSink t) {
        this.tap = t;
    }

    /** One captured frame, decoded here, counted as a whole (see {@link SocketStats#reading()}). */
    public void onFrame(Frame frame) {
        take(frame, null, null);
    }

    /**
     * A replay's frame, decoded once for several sockets ({@link ReplayFanout}): {@code result}
     * is what the decoder made of it, {@code decoded} the packet when it delivered one (which
     * this socket {@link #captures}), else null. The plan runs on a copy ({@link
     * Message#copyDecoded}), since a plan may change its message, unless {@code lent}: no
     * socket after this one sees the packet, so its plan may have the decoder's message itself.
     */
    void onDecodedFrame(Frame frame, Message decoded, DecodeResult result, boolean lent) {
        // a replay's reader is the only thread that runs this socket's frames and timers (the
        // live clock thread runs only live): no turns to take, so no lock per packet
        frameCounted(frame, decoded, result, plan, lent);
    }

    private void take(Frame frame, Message decoded, DecodeResult result) {
        CompiledPlan p = plan;
        if (p.timers().isEmpty()) {
            frameCounted(frame, decoded, result, p, false);
            return;
        }
        // a plan with timers: its frames and its timers' turns (maybe on the live clock thread) never overlap
        timerLock.lock();
        try {
            frameCounted(frame, decoded, result, p, false);
        } finally {
            timerLock.unlock();
        }
    }

    private void frameCounted(Frame frame, Message decoded, DecodeResult result, CompiledPlan p, boolean lent) {
        stats.begin();
        try {
            countFrame(frame, decoded, result, lent);
            timers.use(p);
            timers.advance(frame.timestampMicros);
        } finally {
            stats.end();
        }
    }

    /**
     * Live capture: the socket's clock advances to {@code wallMicros} while no frame comes, so the
     * plan's timers run while the wire is quiet. libpcap's read timeout cannot do this (with
     * TPACKET_V3 a read waits for the first packet however long), so the agent's live clock
     * thread calls this; it takes turns with the socket's frames and never runs beside them. A
     * replay moves the clock without the lock ({@link #replayIdle}).
     */
    public void idle(long wallMicros) {
        CompiledPlan p = plan;
        if (p.timers().isEmpty()) return;
        timerLock.lock();
        try {
            moveClock(p, wallMicros);
        } finally {
            timerLock.unlock();
        }
    }

    /**
     * A replay's frame this socket's filter does not capture: its clock moves to the frame's time,
     * as {@link #idle} does, on the replay's reader, the only thread that runs this socket (no
     * lock, as in {@link #onDecodedFrame}). Per packet for every socket that does not take it.
     */
    void replayIdle(long micros) {
        timers.use(plan);
        if (timers.any()) advanceClock(micros);
    }

    /** The socket's clock moves to {@code micros} with no frame: the plan's timers now due run. */
    private void moveClock(CompiledPlan p, long micros) {
        timers.use(p);
        advanceClock(micros);
    }

    /** {@link #moveClock} with the plan's timers in use. */
    private void advanceClock(long micros) {
        if (!timers.wouldFire(micros)) {
            // only the clock moves: nothing is counted, so no packet boundary to mark for readers
            timers.advance(micros);
            return;
        }
        stats.begin();
        try {
            timers.advance(micros);
        } finally {
            stats.end();
        }
    }

    /**
     * The input ended (the end of a replayed file, or the agent stopping; {@code micros}: the
     * last packet's time, or wall time): the plan's timers finish their work (final reports)
     * before the transports are drained.
     */
    public void endOfInput(long micros) {
        if (plan.timers().isEmpty()) return;
        timerLock.lock();
        stats.begin();
        try {
            timers.use(plan);
            timers.endOfInput(micros);
        } finally {
            stats.end();
            timerLock.unlock();
        }
    }

    /** Whether the plan in force asked for timers (the live clock thread only serves those sockets). */
    public boolean hasTimers() {
        return !plan.timers().isEmpty();
    }

    private void countFrame(Frame frame, Message decoded, DecodeResult result, boolean lent) {
        stats.add(SocketStats.FRAMES);
        if (paused) {
            stats.add(SocketStats.PAUSED_FRAMES);
            return;
        }
        currentFrame = frame;
        DecodeResult r = result;
        try {
            if (r == null) {
                r = decoder.decode(frame, message, onMessage);
            } else if (decoded != null) {
                Message m = decoded;
                if (!lent) {
                    message.copyDecoded(decoded);
                    m = message;
                }
                stats.add(SocketStats.DECODED);
                onAdmitted(m); // the fan-out admitted it (captures)
            }
        } finally {
            currentFrame = null;
        }
        stats.addDecodeResult(r);
        if (r == DecodeResult.MALFORMED || r == DecodeResult.TRUNCATED) stats.add(SocketStats.DECODE_FAILED);
    }

    private volatile CaptureStats captureStats = new CaptureStats(0, 0, 0);
    private volatile String liveDescription = "";

    /** libpcap's counters as last read (live capture); zero for files. */
    public CaptureStats captureStats() {
        return captureStats;
    }

    void recordCaptureStats(CaptureStats s) {
        if (s != null && s.received() >= captureStats.received()) captureStats = s;
    }

    /**
     * A collector socket's kernel counters: what arrived = what the socket delivered + what the
     * kernel dropped because the socket's receive buffer was full + what the socket received but
     * did not deliver (the capture stage's not-delivered).
     */
    private void recordCollectorKernelDrops(long dropped, long notDelivered) {
        recordCaptureStats(new CaptureStats(stats.frames() + dropped + notDelivered, dropped, 0));
    }

    /** The collector socket's own counters (connections, replies, undecodable, ...); empty for a capture socket. */
    public Map<String, Long> collectorCounters() {
        CollectorSocket cs = collector;
        return cs != null ? cs.counters() : Map.of();
    }

    String liveDescription() {
        return liveDescription;
    }

    void setLiveDescription(String d) {
        liveDescription = d;
    }

    StreamFramer framer() {
        return framer;
    }

    void setCollector(CollectorSocket c) {
        collector = c;
    }

    /** This pipeline as a collector socket feeds it. */
    public CollectedMessages collected() {
        return collected;
    }

    private final CollectedMessages collected = new CollectedMessages() {
        @Override
        public SocketSettings settings() {
            return settings;
        }

        @Override
        public Message message() {
            return message;
        }

        @Override
        public void planCollected(Message m) {
            SocketPipeline.this.planCollected(m);
        }

        @Override
        public void collectedUndecoded(DecodeResult r) {
            SocketPipeline.this.collectedUndecoded(r);
        }

        @Override
        public void recordKernelDrops(long kernelDropped, long notDelivered) {
            recordCollectorKernelDrops(kernelDropped, notDelivered);
        }
    };

    /**
     * A record a collector socket received that yields no message: its format did not understand
     * it ({@link DecodeResult#MALFORMED}) or refused it ({@link DecodeResult#REFUSED}). Counted as a
     * frame with that result, so the ledger's decode stage accounts for it.
     */
    void collectedUndecoded(DecodeResult r) {
        stats.begin();
        stats.add(SocketStats.FRAMES);
        stats.addDecodeResult(r);
        if (r == DecodeResult.MALFORMED) stats.add(SocketStats.DECODE_FAILED);
        stats.end();
    }

    /**
     * A message a collector socket received (already filled in: addresses, payload, reply
     * channel): counted as a frame and a decoded packet, then run through the plan.
     */
    void planCollected(Message m) {
        stats.begin();
        try {
            countCollected(m);
        } finally {
            stats.end();
        }
    }

    private void countCollected(Message m) {
        stats.add(SocketStats.FRAMES);
        if (paused) {
            stats.add(SocketStats.PAUSED_FRAMES);
            return;
        }
        // received whole from the socket: "decoded" as delivered, so the loss ledger balances
        stats.addDecodeResult(DecodeResult.DELIVERED);
        stats.add(SocketStats.DECODED);
        runPlan(m);
    }

    /** A decoded packet: admitted by protocol and port, then (TCP) through the stream, then the plan. */
    private void onPacket(Message m) {
        stats.add(SocketStats.DECODED);
        if (!admits(m)) {
            stats.add(SocketStats.NOT_ADMITTED);
            return;
        }
        onAdmitted(m);
    }

    /** A decoded packet of this socket's transports and ports. */
    private void onAdmitted(Message m) {
        // addresses are known per packet: drop before reassembly spends memory on them
        if (discardIps != null && discardIps.matches(m)) {
            stats.add(SocketStats.DISCARDED_IP);
            return;
        }
        if (tcp != null && m.ipProtocol() == Message.IP_PROTO_TCP) {
            m.setSocketName(settings.name());
            stats.add(SocketStats.STREAM_SEGMENTS);
            tcp.accept(m, onStreamMessage);
            return;
        }
        runPlan(m);
    }

    private void onStreamMessage(Message m) {
        stats.add(SocketStats.STREAM_MESSAGES);
        runPlan(m);
    }

    private void record(Message m, Frame f) {
        FrameRecorder[] rs = recorders;
        for (int i = 0; i < rs.length; i++) {
            try {
                rs[i].record(m, f);
            } catch (RuntimeException e) {
                // a recorder's bug must cost neither the packet nor the thread
                long notLogged = planErrorLog.tryAcquire();
                if (notLogged >= 0)
                    LOG.log(
                            Level.ERROR,
                            "socket " + settings.name() + ": recorder failed on a packet"
                                    + RateLimitedLog.suffix(notLogged),
                            e);
            }
        }
    }

    private void runPlan(Message m) {
        m.setSocketName(settings.name());
        // module discard lists (e.g. message kinds) look at whole messages, hence after TCP framing
        for (int i = 0; i < discardFilters.length; i++) {
            if (discardFilters[i].matches(m)) {
                stats.addDiscarded(i);
                return;
            }
        }
        MessageSink t = tap;
        if (t != null) t.accept(m);
        Frame f = currentFrame;
        if (f != null) record(m, f);
        stats.add(SocketStats.PLAN_RUNS);
        long sendsBefore = stats.own(SocketStats.SENDS);
        inPlan = true;
        try {
            if (plan.run(m) == 0) stats.add(SocketStats.PLAN_DROPPED);
        } catch (RuntimeException e) {
            // a bug in a plan function must cost one packet, never the capture thread
            stats.add(SocketStats.PLAN_ERRORS);
            long notLogged = planErrorLog.tryAcquire();
            if (notLogged >= 0) {
                LOG.log(
                        Level.ERROR,
                        "socket " + settings.name() + ": plan failed on a packet (" + stats.own(SocketStats.PLAN_ERRORS)
                                + " so far" + RateLimitedLog.suffix(notLogged) + ")",
                        e);
            }
        } finally {
            inPlan = false;
        }
        if (stats.own(SocketStats.SENDS) > sendsBefore) stats.add(SocketStats.SENT_MESSAGES);
        else stats.add(SocketStats.UNSENT_MESSAGES);
    }
}
