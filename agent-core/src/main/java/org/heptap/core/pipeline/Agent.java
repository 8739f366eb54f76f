package org.heptap.core.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import org.heptap.core.capture.BpfFilter;
import org.heptap.core.capture.CaptureStats;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.LivePcapSource;
import org.heptap.core.capture.PacketSource;
import org.heptap.core.capture.PcapFileSource;
import org.heptap.core.capture.ReplayPacer;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.Problems;
import org.heptap.core.config.SocketSettings;
import org.heptap.core.plan.CompiledPlan;
import org.heptap.core.plan.PlanCompiler;
import org.heptap.core.plan.TransportResolver;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.Transport;

/**
 * The running agent: one pipeline per socket profile, the transports they send to, and either a
 * live capture thread per socket or one reader that feeds a capture file to every socket in
 * capture order (so a socket that learns something, such as RTCP ports from SDP, never runs
 * behind one that needs it).
 */
public final class Agent {
    private static final Logger LOG = Logger.getLogger(Agent.class.getName());

    private final AgentConfig config;
    private final List<SocketPipeline> pipelines;
    private volatile boolean stopping;
    private final List<PacketSource> openSources = new ArrayList<>();

    private Agent(AgentConfig config, List<SocketPipeline> pipelines) {
        this.config = config;
        this.pipelines = pipelines;
    }

    /** Compiles every socket's plan; returns null when a plan has errors (reported). */
    public static Agent prepare(AgentConfig config, Problems problems) {
        List<SocketPipeline> pipelines = new ArrayList<>();
        for (SocketSettings s : config.sockets()) {
            SocketStats stats = new SocketStats();
            CompiledPlan plan = compilePlan(config, s, stats, problems);
            if (plan != null) pipelines.add(new SocketPipeline(s, plan, stats));
        }
        return problems.hasErrors() ? null : new Agent(config, pipelines);
    }

    /** Compiles a socket's plan with its sends counted on the socket's side. */
    public static CompiledPlan compilePlan(AgentConfig config, SocketSettings s, SocketStats stats, Problems problems) {
        Map<String, Transport> transports = config.transports();
        TransportResolver resolver = new TransportResolver() {
            @Override public Transport lookup(String name) {
                Transport t = transports.get(name);
                return t == null ? null : new CountingTransport(t, stats);
            }
            @Override public Set<String> names() { return transports.keySet(); }
        };
        PlanCompiler compiler = new PlanCompiler(config.functions(), resolver);
        return compiler.compile(s.plan(), s.planDisplay(), s.name(), problems);
    }

    public List<SocketPipeline> pipelines() { return pipelines; }
    public AgentConfig config() { return config; }

    private void startTransports() {
        for (Transport t : config.transports().values()) {
            t.start();
            LOG.info("transport " + t.name() + ": " + t.describe());
        }
    }

    /** Feeds a capture file through every socket, then drains the transports. */
    public void runFile(Path file, ReplayPacer pacer) throws IOException {
        startTransports();
        try (PcapFileSource source = PcapFileSource.open(file, pacer)) {
            synchronized (openSources) { openSources.add(source); }
            for (SocketPipeline p : pipelines) {
                LOG.info("socket " + p.settings().name() + ": reading " + file + " (" + describePorts(p.settings()) + "), plan " + p.settings().planDisplay());
            }
            Frame frame = new Frame();
            int n = pipelines.size();
            SocketPipeline[] ps = pipelines.toArray(new SocketPipeline[0]);
            while (!stopping) {
                int r = source.next(frame);
                if (r == PacketSource.END) break;
                if (r != PacketSource.PACKET) continue;
                for (int i = 0; i < n; i++) ps[i].onFrame(frame);
            }
        }
    }

    /** Captures live on every socket's device until {@link #stop()}. */
    public void runLive() throws IOException {
        startTransports();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(pipelines.size());
        List<IOException> failures = new ArrayList<>();
        for (SocketPipeline p : pipelines) {
            LivePcapSource source = LivePcapSource.open(liveOptions(p.settings()));
            synchronized (openSources) { openSources.add(source); }
            p.setLiveDescription(source.describe());
            LOG.info("socket " + p.settings().name() + ": " + source.describe() + ", plan " + p.settings().planDisplay());
            Thread t = new Thread(() -> {
                Frame frame = new Frame();
                try {
                    while (!stopping) {
                        int r = source.next(frame);
                        if (r == PacketSource.END) break;
                        if (r == PacketSource.PACKET) p.onFrame(frame);
                    }
                    p.recordCaptureStats(source.stats());
                } catch (IOException e) {
                    if (!stopping) {
                        synchronized (failures) { failures.add(e); }
                        LOG.severe("socket " + p.settings().name() + ": capture failed: " + e.getMessage());
                    }
                } finally {
                    done.countDown();
                }
            }, "capture-" + p.settings().name());
            threads.add(t);
        }
        threads.forEach(Thread::start);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!failures.isEmpty() && !stopping) throw failures.get(0);
    }

    /** The libpcap settings of a socket, with the BPF filter generated from its ports. */
    static LivePcapSource.Options liveOptions(SocketSettings s) {
        BpfFilter.Builder bpf = BpfFilter.builder().transport(BpfFilter.Transport.parse(s.transportFilter())).admitVlan(true);
        for (var r : s.ports()) bpf.portRange(r.low(), r.high());
        if (!s.filter().isBlank()) bpf.userFilter(s.filter());
        bpf.rtcpShape(s.rtcpShapeFilter());
        return LivePcapSource.Options.forDevice(s.device())
                .withPromiscuous(s.promiscuous())
                .withSnaplen(s.snaplen())
                .withBufferBytes((int) Math.min(Integer.MAX_VALUE, s.bufferSize()))
                .withTimeoutMillis((int) s.readTimeout().toMillis())
                .withImmediate(s.immediate())
                .withFilter(bpf.build());
    }

    private static String describePorts(SocketSettings s) {
        return s.transportFilter() + " ports " + s.ports().toString().replace("[", "").replace("]", "");
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
            SocketStats s = p.stats();
            Map<String, Long> c = new LinkedHashMap<>(s.snapshot());
            c.put("kernel-received", p.captureStats().received());
            c.put("kernel-dropped", p.captureStats().dropped());
            c.put("interface-dropped", p.captureStats().ifDropped());
            String decode = p.decoder().stats().toString();
            LOG.info("socket " + p.settings().name() + ": " + format(c) + "; decoder: " + decode);
        }
        for (Transport t : config.transports().values()) {
            t.close();
            LOG.info("transport " + t.name() + ": " + format(t.counters()));
        }
        for (HeptapModule m : config.modules()) {
            Map<String, Long> c = m.counters();
            if (!c.isEmpty()) LOG.info("module " + m.name() + ": " + format(c));
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
