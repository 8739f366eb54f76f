package org.heptap.core.collector;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.heptap.core.config.CollectorSettings;
import org.heptap.core.config.SocketSettings;
import org.heptap.core.spi.AutoResponder;
import org.heptap.core.spi.CollectorFormat;
import org.heptap.core.spi.ConnectionLayer;
import org.heptap.core.spi.StreamFramer;

/**
 * The listening side of a {@code type: collector} socket: every UDP datagram, and every message
 * framed out of a TCP connection by the socket's stream framer, becomes one message that runs
 * through the socket's plan. The network work (reading, framing, TLS, limits, writing replies)
 * is done by the agent's shared {@link CollectorEventLoop}, all of this socket's channels on one
 * of its loops; the plan runs on the socket's own thread ({@link #run}), which takes the
 * messages from a bounded {@link Handoff}: a slow plan makes the loop stop reading this socket
 * (the kernel buffers, and counts what it drops), never blocks it.
 *
 * <p>Bounds: one hand-off of {@value #HANDOFF_SLOTS} messages; TCP connections as
 * {@link OpenConnections} says, each buffering at most {@code tcp-max-message} unframed bytes
 * ({@link StreamConnection}); bytes the framer skips between messages are counted. UDP listen
 * addresses get a {@code receive-buffer} of their own; what the kernel drops on them when it is
 * full is read from {@code /proc} into the socket's kernel counters ({@link UdpDropCounter}).
 *
 * <p>A listen entry {@code <scheme>:HOST:PORT} puts a module's {@link ConnectionLayer} (TLS)
 * between its connections and the framer ({@link TcpListener}).
 */
public final class CollectorSocket implements Closeable {
    private static final Logger LOG = System.getLogger(CollectorSocket.class.getName());
    /** Messages on their way to the plan at most; then the socket's channels stop reading. */
    static final int HANDOFF_SLOTS = 128;
    /** How often the kernel's drop counters are read while serving (they are read at stop too). */
    private static final long DROP_READ_INTERVAL_NANOS = 5_000_000_000L;
    /** How long the plan thread waits for a message before it looks at {@code stopping}. */
    private static final long POLL_MILLIS = 200;

    private final CollectedMessages pipeline;
    private final String name;
    private final CollectorSettings settings;
    private final boolean decodes;
    private final boolean replies;
    private final AutoResponder responder;
    private final EventLoop loop;
    private final CollectorCounters counters = new CollectorCounters();
    private final CollectorFormat.Decoder decoder;
    private final Handoff handoff = new Handoff(HANDOFF_SLOTS);
    private final ReadThrottle throttle;
    private final CollectorLog log;
    private final OpenConnections connections;
    private final PlanIntake intake;
    private final List<Channel> listeners = new ArrayList<>();
    /** One per UDP listen address the kernel's table shows (Linux). */
    private final List<UdpDropCounter> dropCounters = new ArrayList<>();

    private final ScheduledFuture<?> sweep;
    private volatile boolean closed;

    private CollectorSocket(
            CollectedMessages pipeline, AutoResponder responder, CollectorFormat format, EventLoop loop) {
        this.pipeline = pipeline;
        SocketSettings s = pipeline.settings();
        this.name = s.name();
        this.settings = s.collector();
        this.loop = loop;
        this.decoder = format != null ? format.decoder(settings) : null;
        this.decodes = decoder != null;
        this.responder = settings.reply() ? responder : null;
        this.replies = this.responder != null;
        this.throttle = new ReadThrottle(loop, handoff);
        this.log = new CollectorLog(name, counters);
        this.connections = new OpenConnections(
                settings.maxConnections(),
                settings.limits().maxConnectionsPerSource(),
                settings.limits().firstMessageTimeoutNanos(),
                s.tcp().idleTimeoutMicros() * 1000,
                counters,
                log);
        this.intake = new PlanIntake(pipeline, decoder, this.responder, counters);
        this.sweep = loop.scheduleAtFixedRate(() -> connections.sweep(System.nanoTime()), 1, 1, TimeUnit.SECONDS);
    }

    /** Binds every listen address of the socket; on failure closes what it bound and says which address failed. */
    public static CollectorSocket open(
            CollectedMessages pipeline,
            StreamFramer framer,
            AutoResponder responder,
            CollectorFormat format,
            CollectorEventLoop loops)
            throws IOException {
        CollectorSocket c = new CollectorSocket(pipeline, responder, format, loops.next());
        int maxMessage = pipeline.settings().tcp().maxMessage();
        StreamConnection.Intake streams =
                new StreamConnection.Intake(framer, c.handoff, c.throttle, c.counters, maxMessage);
        long udpAddresses = c.settings.listen().stream().filter(l -> !l.tcp()).count();
        for (CollectorSettings.Listen l : c.settings.listen()) {
            try {
                InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(l.host()), l.port());
                if (l.tcp()) {
                    ConnectionLayer layer =
                            l.layer() != null ? c.settings.layers().get(l.layer()) : null;
                    if (l.layer() != null && layer == null)
                        throw new IOException("no " + l.layer() + " layer configured for it");
                    c.bind(new ServerBootstrap()
                            .group(c.loop, c.loop)
                            .channel(NioServerSocketChannel.class)
                            .option(ChannelOption.SO_BACKLOG, 128)
                            .option(ChannelOption.SO_REUSEADDR, true)
                            .childOption(
                                    ChannelOption.WRITE_BUFFER_WATER_MARK,
                                    new WriteBufferWaterMark(maxMessage / 2, maxMessage))
                            .childHandler(new TcpListener(c.connections, streams, layer, c.log))
                            .bind(at));
                } else {
                    InternetProtocolFamily family = at.getAddress() instanceof Inet4Address
                            ? InternetProtocolFamily.IPv4
                            : InternetProtocolFamily.IPv6;
                    Channel ch = c.bind(new Bootstrap()
                            .group(c.loop)
                            .channelFactory(() -> new NioDatagramChannel(family))
                            .option(ChannelOption.SO_RCVBUF, c.settings.limits().receiveBuffer())
                            .option(
                                    ChannelOption.RCVBUF_ALLOCATOR,
                                    new FixedRecvByteBufAllocator(65536).maxMessagesPerRead(UdpListener.BATCH))
                            .handler(new UdpListener(at, c.handoff, c.throttle, c.counters, (int) udpAddresses))
                            .bind(at));
                    c.checkReceiveBuffer(ch, l);
                    UdpDropCounter drops = UdpDropCounter.of((InetSocketAddress) ch.localAddress());
                    if (drops != null) c.dropCounters.add(drops);
                    else
                        LOG.log(
                                Level.DEBUG,
                                "socket " + c.name + ": " + l + ": no /proc/net/udp line: kernel drops not counted");
                }
            } catch (IOException e) {
                c.close();
                throw new IOException(
                        "socket " + c.name + ": cannot listen on " + l + ": " + e.getMessage()
                                + " (in use by another process? a port below 1024 needs privileges)",
                        e);
            }
        }
        return c;
    }

    private Channel bind(ChannelFuture f) throws IOException {
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable t = f.cause();
            throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
        }
        listeners.add(f.channel());
        return f.channel();
    }

    /**
     * Says so when the kernel gave less {@code receive-buffer} (bursts wait there while the plan
     * runs) than asked: Linux caps it at {@code net.core.rmem_max} (and reports twice what it
     * grants, its bookkeeping included).
     */
    private void checkReceiveBuffer(Channel ch, CollectorSettings.Listen l) {
        int asked = settings.limits().receiveBuffer();
        int got = ((io.netty.channel.socket.DatagramChannel) ch).config().getReceiveBufferSize();
        if (got < asked) {
            LOG.log(
                    Level.WARNING,
                    "socket " + name + ": " + l + ": the kernel gave a receive buffer of " + got
                            + " bytes, not the " + asked
                            + " asked (receive-buffer); raise net.core.rmem_max (sysctl -w net.core.rmem_max="
                            + asked + ") or bursts are dropped (kernel-dropped)");
        }
    }

    /** What the socket listens on, for the start-up log line. */
    public String describe() {
        return "collector listening on "
                + settings.listen().toString().replace("[", "").replace("]", "")
                + (decodes ? " for " + settings.format() : "")
                + settings.layers().values().stream()
                        .map(l -> ", " + l.scheme() + " " + l.describe())
                        .reduce("", String::concat)
                + (replies ? ", auto-reply by " + responder.name() : ", no auto-reply");
    }

    /**
     * The socket's plan thread: runs each received message through the plan until
     * {@code stopping} turns true (checked at least every 200 ms) or the socket is closed; then
     * stops listening and plans what was still handed off.
     */
    public void run(BooleanSupplier stopping) {
        long lastDropRead = System.nanoTime();
        long dropsLogged = 0;
        long handoffDropsLogged = 0;
        try {
            while (!stopping.getAsBoolean() && !closed) {
                Received r = handoff.next(POLL_MILLIS);
                if (r != null) deliver(r);
                long now = System.nanoTime();
                if (now - lastDropRead > DROP_READ_INTERVAL_NANOS) {
                    lastDropRead = now;
                    dropsLogged = logKernelDrops(dropsLogged);
                    handoffDropsLogged = logHandoffDrops(handoffDropsLogged);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopListening();
        for (Received r; (r = handoff.poll()) != null; ) deliver(r);
    }

    private void deliver(Received r) {
        try {
            intake.deliver(r);
        } finally {
            handoff.release(r);
            throttle.released();
        }
    }

    private long logKernelDrops(long logged) {
        long d = refreshKernelStats();
        if (d > logged) {
            LOG.log(
                    Level.WARNING,
                    "socket " + name + ": the kernel dropped " + (d - logged) + " datagrams in the last "
                            + DROP_READ_INTERVAL_NANOS / 1_000_000_000L + " s (" + d
                            + " in all, kernel-dropped): the receive buffer was full; raise receive-buffer or give the host more CPU");
        }
        return Math.max(d, logged);
    }

    private long logHandoffDrops(long logged) {
        long d = counters.handoffDropped;
        if (d > logged) {
            LOG.log(
                    Level.WARNING,
                    "socket " + name + ": " + (d - logged) + " datagrams dropped in the last "
                            + DROP_READ_INTERVAL_NANOS / 1_000_000_000L + " s (" + d
                            + " in all, collector-handoff-dropped): the plan did not keep up with them");
        }
        return d;
    }

    /** Adds this socket's counters (for the final log line and metrics). */
    public void addCounters(Map<String, Long> c) {
        counters.addTo(c);
        if (decoder != null) {
            c.put("collector-undecodable", counters.undecodable);
            decoder.addCounters(c);
        }
        counters.addLayersTo(c);
    }

    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        addCounters(c);
        return c;
    }

    /**
     * Reads the kernel's drop counters of the UDP listen addresses now and records them as the
     * socket's kernel counters: received = what the socket delivered + what the kernel dropped
     * + what it received but could not hand to the plan. Any thread; returns the kernel's drops.
     */
    public long refreshKernelStats() {
        long d = 0;
        for (UdpDropCounter c : dropCounters) d += c.read();
        pipeline.recordKernelDrops(d, counters.handoffDropped);
        return d;
    }

    /** Whether this collector feeds {@code p}. */
    public boolean serves(CollectedMessages p) {
        return pipeline == p;
    }

    /** Closes the listen addresses and every connection (waits for the event loop to have done so). */
    private void stopListening() {
        if (loop.inEventLoop()) {
            closeChannels();
        } else if (!loop.isShuttingDown()) {
            loop.submit(this::closeChannels).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private void closeChannels() {
        sweep.cancel(false);
        for (Channel l : listeners) l.close();
        for (StreamConnection c : connections.all()) c.close();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        refreshKernelStats(); // the kernel's counters go with the sockets: read them first
        stopListening();
    }
}
