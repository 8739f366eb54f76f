package org.heptap.core.pipeline;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.heptap.core.capture.BpfFilter;
import org.heptap.core.capture.CaptureStats;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.LivePcapSource;
import org.heptap.core.capture.PacketSource;
import org.heptap.core.capture.PcapFileSource;
import org.heptap.core.capture.ReplayPacer;
import org.heptap.core.collector.CollectorEventLoop;
import org.heptap.core.collector.CollectorSocket;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.CollectorSettings;
import org.heptap.core.config.Problems;
import org.heptap.core.config.SocketSettings;
import org.heptap.core.decode.tcp.TcpOptions;
import org.heptap.core.decode.tcp.WebSocketFramer;
import org.heptap.core.metrics.ModuleCounters;
import org.heptap.core.plan.CompiledPlan;
import org.heptap.core.plan.PlanCompiler;
import org.heptap.core.plan.TransportResolver;
import org.heptap.core.spi.AutoResponder;
import org.heptap.core.spi.CollectorFormat;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.StreamFramer;
import org.heptap.core.spi.Transport;

/**
 * The running agent: one pipeline per socket profile, the transports they send to, and either a
 * live capture thread per socket or one reader that feeds a capture file to every socket in
 * capture order (so a socket that learns something, such as media ports from a session description, never runs
 * behind one that needs it).
 */
public final class Agent {
    private static final Logger LOG = System.getLogger(Agent.class.getName());

    /** The configuration in force; replaced by {@link #reload}. */
    private volatile AgentConfig config;
    /**
     * The module counters the metrics endpoint reads: the configuration's in force, published by
     * {@link #reload} only once they hold the counts of the configuration they replace.
     */
    private volatile ModuleCounters moduleCounters;

    private final List<SocketPipeline> pipelines;
    private volatile boolean stopping;
    private final List<PacketSource> openSources = new ArrayList<>();
    /** Messages handed to each transport (by name) by any socket, across reloads. */
    private final Map<String, LongAdder> offered;
    /** Final counters of transports a reload replaced, summed by name, so totals survive reloads. */
    private final Map<String, Map<String, Long>> retiredCounters = new ConcurrentHashMap<>();

    private final long startedMillis = System.currentTimeMillis();
    private final AtomicLong reloads = new AtomicLong();

    /** The automatic responder of each collector socket that replies (by socket name). */
    private final Map<String, AutoResponder> autoResponders;
    /** The envelope format of each collector socket that is not raw (by socket name). */
    private final Map<String, CollectorFormat> collectorFormats;

    private final List<CollectorSocket> collectors = new ArrayList<>();
    /** Sockets whose capture (live, replay or collector) runs now, by name. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    private Agent(
            AgentConfig config,
            List<SocketPipeline> pipelines,
            Map<String, LongAdder> offered,
            Map<String, AutoResponder> autoResponders,
            Map<String, CollectorFormat> collectorFormats) {
        this.collectorFormats = collectorFormats;
        this.config = config;
        this.moduleCounters = config.moduleCounters();
        this.pipelines = pipelines;
        this.offered = offered;
        this.autoResponders = autoResponders;
        installRecorders(config);
    }

    /** Gives every capture socket the recorders of {@code c}'s modules that ask for it. */
    private void installRecorders(AgentConfig c) {
        for (SocketPipeline p : pipelines) {
            List<org.heptap.core.spi.FrameRecorder> mine = new ArrayList<>();
            if (!p.settings().isCollector()) {
                for (HeptapModule m : c.modules()) {
                    for (var r : m.frameRecorders()) {
                        if (r.records(p.settings().name())) mine.add(r);
                    }
                }
            }
            p.setRecorders(mine);
        }
    }

    /** Compiles every socket's plan; returns null when a plan has errors (reported). */
    public static Agent prepare(AgentConfig config, Problems problems) {
        List<SocketPipeline> pipelines = new ArrayList<>();
        Map<String, AutoResponder> autoResponders = new LinkedHashMap<>();
        Map<String, StreamFramer> framers = new LinkedHashMap<>();
        // agent-core's own framer, which a module may replace by exporting one of the same name
        framers.put(TcpOptions.WEBSOCKET_FRAMER, new WebSocketFramer());
        for (HeptapModule m : config.modules()) {
            for (StreamFramer f : m.streamFramers()) framers.put(f.name(), f);
        }
        Map<String, AutoResponder> responders = new LinkedHashMap<>();
        Map<String, CollectorFormat> formats = new LinkedHashMap<>();
        for (HeptapModule m : config.modules()) {
            for (AutoResponder r : m.autoResponders()) responders.put(r.name(), r);
            for (CollectorFormat f : m.collectorFormats()) formats.put(f.name(), f);
        }
        Map<String, CollectorFormat> socketFormats = new LinkedHashMap<>();
        Map<String, LongAdder> offered = new ConcurrentHashMap<>();
        for (SocketSettings s : config.sockets()) {
            SocketStats stats = new SocketStats();
            CompiledPlan plan = compilePlan(config, s, stats, offered, problems);
            StreamFramer framer = framers.get(s.tcp().framer());
            if (s.tcp().reassemble() && framer == null) {
                problems.error(
                        s.file(),
                        s.planLine(),
                        "sockets." + s.name() + ".stream-framer: no module frames '"
                                + s.tcp().framer() + "' streams (available: " + String.join(", ", framers.keySet())
                                + ")");
            }
            AutoResponder responder = null;
            if (s.isCollector() && s.collector().reply()) {
                responder = responders.get(s.collector().responder());
                if (responder == null) {
                    problems.error(
                            s.file(),
                            s.planLine(),
                            "sockets." + s.name() + ".responder: no module answers '"
                                    + s.collector().responder() + "' (available: "
                                    + String.join(", ", responders.keySet()) + ")");
                }
            }
            if (s.isCollector() && !s.collector().isRaw()) {
                CollectorFormat f = formats.get(s.collector().format());
                if (f == null) {
                    problems.error(
                            s.file(),
                            s.planLine(),
                            "sockets." + s.name() + ".format: no module receives '"
                                    + s.collector().format() + "' (available: " + String.join(", ", formats.keySet())
                                    + (formats.isEmpty() ? "" : ", ") + CollectorSettings.RAW + ")");
                } else {
                    socketFormats.put(s.name(), f);
                }
            }
            if (plan != null)
                pipelines.add(new SocketPipeline(s, plan, stats, framer, framers.get(TcpOptions.WEBSOCKET_FRAMER)));
            if (responder != null) autoResponders.put(s.name(), responder);
        }
        return problems.hasErrors() ? null : new Agent(config, pipelines, offered, autoResponders, socketFormats);
    }

    /** Compiles a socket's plan with its sends counted on the socket's side. */
    public static CompiledPlan compilePlan(AgentConfig config, SocketSettings s, SocketStats stats, Problems problems) {
        return compilePlan(config, s, stats, new ConcurrentHashMap<>(), problems);
    }

    /** As above, also counting what each transport is offered (by transport name) into {@code offered}. */
    static CompiledPlan compilePlan(
            AgentConfig config,
            SocketSettings s,
            SocketStats stats,
            Map<String, LongAdder> offered,
            Problems problems) {
        Map<String, Transport> transports = config.transports();
        TransportResolver resolver = new TransportResolver() {
            @Override
            public Transport lookup(String name) {
                Transport t = transports.get(name);
                return t == null
                        ? null
                        : new CountingTransport(t, stats, offered.computeIfAbsent(name, k -> new LongAdder()));
            }

            @Override
            public Set<String> names() {
                return transports.keySet();
            }
        };
        PlanCompiler compiler = new PlanCompiler(config.functions(), resolver);
        return compiler.compile(s.plan(), s.planDisplay(), s.name(), problems);
    }

    public List<SocketPipeline> pipelines() {
        return pipelines;
    }

    public AgentConfig config() {
        return config;
    }

    /** The counters modules of the configuration in force registered (for the metrics endpoint). */
    public ModuleCounters moduleCounters() {
        return moduleCounters;
    }

    public long startedMillis() {
        return startedMillis;
    }

    public long reloads() {
        return reloads.get();
    }

    /** Messages offered to the named transport since start (across reloads). */
    public long offered(String transport) {
        LongAdder a = offered.get(transport);
        return a == null ? 0 : a.sum();
    }

    /**
     * The counters of the named transport since start: the running one's plus those of the
     * instances reloads replaced. Null when no such transport ever existed.
     */
    public Map<String, Long> transportTotals(String name) {
        Transport t = config.transports().get(name);
        Map<String, Long> retired = retiredCounters.get(name);
        if (t == null && retired == null) return null;
        Map<String, Long> out = new LinkedHashMap<>(t != null ? t.counters() : Map.of());
        if (retired != null)
            retired.forEach((k, v) -> {
                if (!k.equals("queued")) out.merge(k, v, Long::sum);
            });
        return out;
    }

    /** Every transport name, running or retired by a reload. */
    public List<String> transportNames() {
        List<String> names = new ArrayList<>(config.transports().keySet());
        for (String n : retiredCounters.keySet()) if (!names.contains(n)) names.add(n);
        return names;
    }

    /**
     * True while the socket's capture runs: its live capture thread or collector reads, or a
     * replay feeds it. False before the start, after a capture failed or ended, and once stopping.
     */
    public boolean capturing(String socket) {
        return running.contains(socket) && !stopping;
    }

    public SocketPipeline pipeline(String socket) {
        for (SocketPipeline p : pipelines) if (p.settings().name().equals(socket)) return p;
        return null;
    }

    /** libpcap's counters (a collector socket's: the kernel's UDP drops) read now while live, else the last ones recorded. */
    public CaptureStats currentCaptureStats(SocketPipeline p) {
        synchronized (openSources) {
            for (CollectorSocket c : collectors) {
                if (c.serves(p.collected()) && !stopping) c.refreshKernelStats();
            }
            for (PacketSource s : openSources) {
                if (s instanceof LivePcapSource live
                        && !stopping
                        && live.describe().equals(p.liveDescription())) {
                    p.recordCaptureStats(live.stats());
                }
            }
        }
        return p.captureStats();
    }

    /**
     * Applies a new configuration to the running sockets: every plan is compiled against the new
     * transports first, and only when all compile are the new transports started, the plans
     * swapped per socket between two packets, and the old transports drained (what they queued is
     * still delivered) and closed. Capture settings (device, ports, filters) and added or removed
     * sockets take effect at the next start; each such difference is reported as a warning.
     * Returns false, with the errors in {@code problems}, when nothing was changed; {@code next}
     * is then closed (its modules, and its transports with any thread or socket they started).
     */
    public synchronized boolean reload(AgentConfig next, Problems problems) {
        if (next == null) return false;
        List<CompiledPlan> plans = new ArrayList<>();
        for (SocketPipeline p : pipelines) {
            SocketSettings now = p.settings();
            SocketSettings s = next.sockets().stream()
                    .filter(x -> x.name().equals(now.name()))
                    .findFirst()
                    .orElse(null);
            if (s == null) {
                problems.warning(
                        next.file(),
                        0,
                        "sockets." + now.name() + ": removed from the configuration; it keeps running until restart");
                s = now;
            } else if (!sameCapture(now, s)) {
                problems.warning(
                        s.file(),
                        s.planLine(),
                        "sockets." + now.name()
                                + ": capture settings changed; they take effect at restart (the plan is reloaded now)");
            }
            plans.add(compilePlan(next, s, p.stats(), offered, problems));
        }
        for (SocketSettings s : next.sockets()) {
            if (pipeline(s.name()) == null) {
                problems.warning(s.file(), s.planLine(), "sockets." + s.name() + ": new socket; it starts at restart");
            }
        }
        if (problems.hasErrors()) {
            next.close();
            return false;
        }
        AgentConfig old = config;
        if (!startAll(next, problems)) return false;
        config = next;
        installRecorders(next);
        for (int i = 0; i < pipelines.size(); i++) {
            if (!pipelines.get(i).replacePlanQuiesced(plans.get(i), 2000)) {
                LOG.log(
                        Level.WARNING,
                        "socket " + pipelines.get(i).settings().name() + ": a packet took over 2 s in the old plan");
            }
        }
        // the old plans no longer count: their totals move to the new configuration's counters
        ModuleCounters counters = next.moduleCounters();
        counters.continueFrom(old.moduleCounters());
        moduleCounters = counters;
        for (Transport t : old.transports().values()) {
            if (!t.drain(Duration.ofSeconds(5)))
                LOG.log(Level.WARNING, "transport " + t.name() + " (old): not drained within 5 s");
            t.close();
            Map<String, Long> c = t.counters();
            retiredCounters.merge(t.name(), new LinkedHashMap<>(c), (a, b) -> {
                Map<String, Long> sum = new LinkedHashMap<>(a);
                b.forEach((k, v) -> sum.merge(k, v, Long::sum));
                return sum;
            });
        }
        for (HeptapModule m : old.modules()) m.close();
        reloads.incrementAndGet();
        for (SocketPipeline p : pipelines) {
            LOG.log(
                    Level.INFO,
                    "socket " + p.settings().name() + ": reloaded, plan "
                            + p.plan().source());
        }
        return true;
    }

    /**
     * Starts the transports of a configuration a reload applies. When one cannot start, the
     * reload is refused and the whole new configuration closed, so the transports started before
     * it stop their threads and close their sockets (the running ones were not touched).
     */
    private static boolean startAll(AgentConfig next, Problems problems) {
        for (Transport t : next.transports().values()) {
            try {
                t.start();
            } catch (RuntimeException e) {
                problems.error(
                        e.getMessage() != null ? e.getMessage() : "transport " + t.name() + ": cannot start: " + e);
                next.close();
                return false;
            }
            LOG.log(Level.INFO, "transport " + t.name() + ": " + t.describe());
        }
        return true;
    }

    private static boolean sameCapture(SocketSettings a, SocketSettings b) {
        return java.util.Objects.equals(a.collector(), b.collector())
                && a.device().equals(b.device())
                && a.ports().equals(b.ports())
                && a.filter().equals(b.filter())
                && a.transportFilter().equals(b.transportFilter())
                && a.snaplen() == b.snaplen()
                && a.promiscuous() == b.promiscuous();
    }

    /** A transport that cannot start (see {@link Transport#start}) stops the start with its own words. */
    private void startTransports() throws IOException {
        for (Transport t : config.transports().values()) {
            try {
                t.start();
            } catch (IllegalStateException e) {
                throw new TransportStartException(e.getMessage(), e);
            }
            LOG.log(Level.INFO, "transport " + t.name() + ": " + t.describe());
        }
    }

    /**
     * Feeds a capture file once through every capture socket. Collector sockets listen for what
     * is sent to heptap, which a file cannot hold: they do not run. Returns the damage found in
     * the file ({@code file: record N at byte B: what}), or null when it was read whole.
     */
    public String runFile(Path file, ReplayPacer pacer) throws IOException {
        return runFile(file, () -> pacer, 1);
    }

    /**
     * Feeds a capture file {@code passes} times (0: until {@link #stop()}) through every capture
     * socket, each pass paced by a fresh pacer (a pacer remembers the first timestamp, and the
     * next pass starts over at it). Returns the damage found in the file by the last pass that
     * found any, or null when every pass read it whole; a damaged file is still replayed up to
     * the damage on each pass.
     */
    public String runFile(Path file, Supplier<ReplayPacer> pacers, long passes) throws IOException {
        startTransports();
        List<SocketPipeline> capturing = new ArrayList<>();
        for (SocketPipeline p : pipelines) {
            if (p.settings().isCollector()) {
                LOG.log(
                        Level.INFO,
                        "socket " + p.settings().name() + ": collector, runs only live; not used for " + file);
                continue;
            }
            capturing.add(p);
            LOG.log(
                    Level.INFO,
                    "socket " + p.settings().name() + ": reading " + file + " (" + describePorts(p.settings())
                            + "), plan " + p.settings().planDisplay());
        }
        SocketPipeline[] ps = capturing.toArray(new SocketPipeline[0]);
        ReplayFanout fanout = new ReplayFanout(ps);
        Frame frame = new Frame();
        String damage = null;
        for (SocketPipeline p : capturing) running.add(p.settings().name());
        try {
            for (long pass = 1; (passes == 0 || pass <= passes) && !stopping; pass++) {
                if (passes != 1)
                    LOG.log(Level.INFO, "replay pass " + pass + (passes == 0 ? " (until stopped)" : " of " + passes));
                String found = replayOnce(file, pacers.get(), ps, fanout, frame);
                if (found != null) damage = found;
            }
        } finally {
            running.clear();
        }
        return damage;
    }

    private String replayOnce(Path file, ReplayPacer pacer, SocketPipeline[] ps, ReplayFanout fanout, Frame frame)
            throws IOException {
        try (PcapFileSource source = PcapFileSource.open(file, pacer)) {
            synchronized (openSources) {
                openSources.add(source);
            }
            try {
                int n = ps.length;
                long last = Long.MIN_VALUE;
                try {
                    while (!stopping) {
                        int r = source.next(frame);
                        if (r == PacketSource.END) break;
                        if (r != PacketSource.PACKET) continue;
                        last = frame.timestampMicros;
                        fanout.onFrame(frame);
                    }
                } finally {
                    // end of the file (or a stop): the plans' timers send what they still hold
                    long end = last != Long.MIN_VALUE ? last : System.currentTimeMillis() * 1000;
                    for (int i = 0; i < n; i++) ps[i].endOfInput(end);
                }
                return source.lastProblem();
            } finally {
                synchronized (openSources) {
                    openSources.remove(source);
                }
            }
        }
    }

    /**
     * Captures live on every socket's device until {@link #stop()}, running {@code beforeReading}
     * once every capture handle is open and before any is read: what arrives meanwhile waits in the kernel's capture buffer (and what
     * overflows it is counted as kernel-dropped), so start-up work done there (the composition
     * root's JIT warm-up) costs no traffic. Collector sockets are served before it.
     */
    public void runLive(Runnable beforeReading) throws IOException {
        startTransports();
        // the collector sockets' network work shares one small event loop; their plans run on threads of their own
        CollectorEventLoop collectorLoop =
                pipelines.stream().anyMatch(p -> p.settings().isCollector()) ? new CollectorEventLoop() : null;
        try {
            List<Thread> threads = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(pipelines.size());
            List<IOException> failures = new ArrayList<>();
            for (SocketPipeline p : pipelines) {
                if (p.settings().isCollector()) {
                    // a collector serves at once: a sender's connection must not wait for the warm-up
                    collectorThread(p, done, failures, collectorLoop).start();
                    continue;
                }
                LivePcapSource source = LivePcapSource.open(liveOptions(p.settings()));
                synchronized (openSources) {
                    openSources.add(source);
                }
                p.setLiveDescription(source.describe());
                LOG.log(
                        Level.INFO,
                        "socket " + p.settings().name() + ": " + source.describe() + ", plan "
                                + p.settings().planDisplay());
                Thread t = new Thread(
                        () -> {
                            Frame frame = new Frame();
                            running.add(p.settings().name());
                            try {
                                try {
                                    while (!stopping) {
                                        int r = source.next(frame);
                                        if (r == PacketSource.END) break;
                                        if (r == PacketSource.PACKET) p.onFrame(frame);
                                    }
                                } finally {
                                    // stopping: the plan's timers send what they hold before the drain
                                    p.endOfInput(System.currentTimeMillis() * 1000);
                                }
                                p.recordCaptureStats(source.stats());
                            } catch (IOException e) {
                                if (!stopping) {
                                    synchronized (failures) {
                                        failures.add(e);
                                    }
                                    LOG.log(
                                            Level.ERROR,
                                            "socket " + p.settings().name() + ": capture failed: " + e.getMessage());
                                }
                            } finally {
                                running.remove(p.settings().name());
                                done.countDown();
                            }
                        },
                        "capture-" + p.settings().name());
                threads.add(t);
            }
            if (!stopping) beforeReading.run();
            threads.forEach(Thread::start);
            Thread clock = liveClock(done);
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (clock != null) clock.interrupt();
            if (!failures.isEmpty() && !stopping) throw failures.get(0);
        } finally {
            if (collectorLoop != null) collectorLoop.close();
        }
    }

    /** How often the live clock advances quiet sockets' clocks (their plans' timers' resolution). */
    private static final long LIVE_CLOCK_MILLIS = 100;

    /**
     * Live capture of sockets whose plans asked for timers: a daemon thread that advances their
     * clocks to wall time every {@value #LIVE_CLOCK_MILLIS} ms, so the timers run while no packet
     * arrives (a libpcap read does not return without one). Null when no socket needs it.
     */
    private Thread liveClock(CountDownLatch done) {
        List<SocketPipeline> timed = new ArrayList<>();
        for (SocketPipeline p : pipelines) if (!p.settings().isCollector() && p.hasTimers()) timed.add(p);
        if (timed.isEmpty()) return null;
        Thread t = new Thread(
                () -> {
                    try {
                        while (!stopping
                                && !done.await(LIVE_CLOCK_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                            long now = System.currentTimeMillis() * 1000;
                            for (SocketPipeline p : timed) p.idle(now);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "live-clock");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Binds a collector socket now (so a busy port fails the start) and serves it on a thread of its own. */
    private Thread collectorThread(
            SocketPipeline p, CountDownLatch done, List<IOException> failures, CollectorEventLoop loop)
            throws IOException {
        CollectorSocket c = CollectorSocket.open(
                p.collected(),
                p.framer(),
                autoResponders.get(p.settings().name()),
                collectorFormats.get(p.settings().name()),
                loop);
        synchronized (openSources) {
            collectors.add(c);
        }
        p.setCollector(c);
        LOG.log(
                Level.INFO,
                "socket " + p.settings().name() + ": " + c.describe() + ", plan "
                        + p.settings().planDisplay());
        return new Thread(
                () -> {
                    running.add(p.settings().name());
                    try {
                        c.run(() -> stopping);
                    } catch (RuntimeException e) {
                        if (!stopping) {
                            synchronized (failures) {
                                failures.add(new IOException(e));
                            }
                            LOG.log(
                                    Level.ERROR,
                                    "socket " + p.settings().name() + ": collector failed: " + e.getMessage());
                        }
                    } finally {
                        running.remove(p.settings().name());
                        c.close();
                        done.countDown();
                    }
                },
                "collector-" + p.settings().name());
    }

    /** The libpcap settings of a socket, with the BPF filter generated from its ports. */
    static LivePcapSource.Options liveOptions(SocketSettings s) {
        BpfFilter.Builder bpf = BpfFilter.builder()
                .transport(BpfFilter.Transport.parse(s.transportFilter()))
                .admitVlan(true)
                .admitFragments(s.decode().defrag())
                .admitTunnels(s.decode().decapsulate());
        for (var r : s.ports()) bpf.portRange(r.low(), r.high());
        if (!s.filter().isBlank()) bpf.userFilter(s.filter());
        s.filterClauses().forEach(c -> bpf.clause(c.bpf()));
        return LivePcapSource.Options.forDevice(s.device())
                .withPromiscuous(s.promiscuous())
                .withSnaplen(s.snaplen())
                .withBufferBytes((int) Math.min(Integer.MAX_VALUE, s.bufferSize()))
                .withTimeoutMillis((int) s.readTimeout().toMillis())
                .withImmediate(s.immediate())
                .withFilter(bpf.buildPerLinkType());
    }

    private static String describePorts(SocketSettings s) {
        return s.transportFilter() + " ports "
                + s.ports().toString().replace("[", "").replace("]", "");
    }

    /** Stops capture (from a signal handler or test); the run methods return soon after. */
    public void stop() {
        stopping = true;
        synchronized (openSources) {
            for (PacketSource s : openSources) {
                if (s instanceof LivePcapSource live) {
                    // the kernel's counters are gone once the handle is closed: read them first
                    for (SocketPipeline p : pipelines) {
                        if (live.describe().equals(p.liveDescription())) p.recordCaptureStats(live.stats());
                    }
                }
                s.close();
            }
        }
    }

    /** Delivers what the transports still hold, then closes them and logs the final counters. */
    public boolean shutdown(Duration drainTimeout) {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        boolean drained = true;
        for (Transport t : config.transports().values()) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!t.drain(Duration.ofNanos(left))) drained = false;
        }
        for (SocketPipeline p : pipelines) {
            Map<String, Long> c = p.counters();
            c.put("kernel-received", p.captureStats().received());
            c.put("kernel-dropped", p.captureStats().dropped());
            c.put("interface-dropped", p.captureStats().ifDropped());
            String decode = p.decoder().stats().toString();
            LOG.log(Level.INFO, "socket " + p.settings().name() + ": " + format(c) + "; decoder: " + decode);
        }
        for (Transport t : config.transports().values()) t.close();
        // totals since start, as the loss ledger reads them: a reload rebuilds every transport,
        // and the running instance alone would say "sent 0" for what its predecessors sent
        for (String name : transportNames()) {
            LOG.log(Level.INFO, "transport " + name + ": " + format(transportTotals(name)));
        }
        for (HeptapModule m : config.modules()) {
            Map<String, Long> c = m.counters();
            if (!c.isEmpty()) LOG.log(Level.INFO, "module " + m.name() + ": " + format(c));
            m.close();
        }
        return drained;
    }

    static String format(Map<String, Long> counters) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(e.getKey()).append(' ').append(e.getValue());
        }
        return sb.toString();
    }
}
