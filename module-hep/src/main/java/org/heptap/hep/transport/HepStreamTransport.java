package org.heptap.hep.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.heptap.core.message.Message;
import org.heptap.hep.codec.HepEncoder;
import org.heptap.hep.codec.MessageEncoder;

/**
 * Sends HEP3 over one TCP connection (TLS through a {@link StreamSecurity} hook) to one collector:
 * packets back to back on the stream, no extra framing (hep-wire-format.md §4).
 *
 * <p>Pipeline threads encode into a pooled buffer and offer it to a bounded queue, exactly like
 * the UDP transport; a full queue is a counted drop (offline runs wait while the collector is
 * reachable or the spool can take the packets). One event-loop thread owns the connection: it
 * connects with a timeout, reconnects with exponential back-off and jitter, and writes batches.
 *
 * <p>While the collector is unreachable, queued packets go to the next collector of a fail-over
 * profile, else to the on-disk {@link HepSpool} when configured, else they wait in the queue.
 * As long as the spool holds anything, new packets are appended to it too and the connection is
 * fed from its head, so packets arrive in capture order. TCP cannot say whether what was written
 * to a connection that then died arrived: the transport estimates how many packets were at risk
 * (those still fitting in the socket send buffer), counts them as {@code unconfirmed} and logs it.
 */
public final class HepStreamTransport implements HepCollector {
    private static final System.Logger LOG = System.getLogger(HepStreamTransport.class.getName());

    static final int MAX_BATCH = 1024;
    /** Largest record a stream takes; HEP3 caps itself at 65535 bytes (its length field). */
    static final int MAX_STREAM_RECORD = 4 << 20;
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Sizes of the last packets written, to estimate what a dead connection may have swallowed. */
    private static final int RECENT = 8192;

    private final String name;
    private final StreamConfig config;
    private final boolean offline;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final SendQueue queue;
    private final WireFormat format;
    private final EncoderPerThread encoders;

    private final Runnable drainTask = this::drainQueue;
    private final ChannelFutureListener sentListener = this::onWriteDone;

    private final LongAdder oversize = new LongAdder();
    private final AtomicLong completed = new AtomicLong();
    // written by the event loop only
    private volatile long sent;
    private volatile long bytes;
    private volatile long sendFailed;
    private volatile long reconnects;
    private volatile long spooled;
    private volatile long spoolDropped;
    private volatile long unconfirmed;
    private volatile long spoolFrames;
    private volatile long spoolInFlight;
    /** Packets an earlier run left in the spool (found at start): input of this run besides what it is offered. */
    private volatile long fromEarlierSpool;
    /** Packets taken out of the spool and written (sent, failed or dropped at close). */
    private volatile long replayed;

    private final RateLimitedLog failureLog = new RateLimitedLog(LOG_INTERVAL_NANOS);
    private final RateLimitedLog spoolLog = new RateLimitedLog(LOG_INTERVAL_NANOS);
    private final RateLimitedLog oversizeLog = new RateLimitedLog(TimeUnit.SECONDS.toNanos(10));

    private volatile boolean closed;
    private volatile boolean healthy = true;
    private volatile PacketHandOver failover;
    private volatile EventLoop loop;
    private EventLoopGroup group;
    private Bootstrap bootstrap;
    private boolean usingEpoll;

    // event loop only
    private Channel channel;
    private HepSpool spool;
    private int attempts;
    private boolean everConnected;
    private String lastFailure;
    private long lastFailureLogged;
    private int sendBufferBytes;
    private long writtenOnConnection;
    private final int[] recentSizes = new int[RECENT];
    private int recentNext;
    private int recentCount;

    public HepStreamTransport(String name, StreamConfig config, boolean offline) {
        this(name, config, offline, WireFormat.hep(config.hep()));
    }

    /**
     * A stream collector that sends {@code format}'s records (HEP3, or newline-delimited JSON for
     * type: json profiles). A spool needs self-delimiting records (the profile reader refuses
     * one otherwise).
     */
    public HepStreamTransport(String name, StreamConfig config, boolean offline, WireFormat format) {
        if (config.spoolDir() != null && !format.selfDelimiting()) {
            throw new IllegalArgumentException("transport " + name + ": a spool needs self-delimiting records");
        }
        this.name = name;
        this.config = config;
        this.offline = offline;
        this.format = format;
        // offline producers wait for room while the queue can move: collector up, spool or fail-over
        this.queue = new SendQueue(config.queueSize(), offline, drainTask,
                () -> !closed && loop != null && (healthy || config.spoolDir() != null || failover != null));
        this.encoders = new EncoderPerThread(format, MAX_STREAM_RECORD, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String target() {
        return config.target();
    }

    public StreamConfig config() {
        return config;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(format.describe(config.target()));
        if (config.security() != null) sb.append(" (").append(config.security().describe()).append(')');
        if (config.spoolDir() != null) sb.append(" spool ").append(config.spoolDir()).append(" max ").append(config.spoolMax()).append(" bytes");
        return sb.toString();
    }

    /** Fail-over: where queued packets go while this collector is down (set by the profile). */
    void failOverTo(PacketHandOver next) {
        this.failover = next;
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    @Override
    public boolean handingOver() {
        return !healthy && failover != null && pending() > 0;
    }

    @Override
    public void start() {
        if (loop != null) return;
        if (config.spoolDir() != null) {
            try {
                spool = new HepSpool(config.spoolDir(), config.spoolMax());
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("transport " + name + ": cannot open the spool " + config.spoolDir() + ": "
                        + spoolProblem(e) + "; it must be a folder the agent's user may write", e);
            }
            spoolFrames = spool.frames();
            fromEarlierSpool = spool.frames();
            if (!spool.isEmpty()) {
                LOG.log(Level.INFO, "transport {0}: {1} packets ({2} bytes) left in the spool {3} by an earlier run; they are sent first",
                        name, spool.frames(), spool.bytes(), config.spoolDir());
            }
        }
        if (config.security() != null) config.security().start(name, config.target());
        usingEpoll = Epoll.isAvailable();
        DefaultThreadFactory threads = new DefaultThreadFactory("hep-" + name, true);
        group = usingEpoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
        bootstrap = new Bootstrap()
                .group(group)
                .channel(usingEpoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .option(ChannelOption.SO_KEEPALIVE, config.keepalive())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .handler(new StreamHandler());
        if (config.sendBuffer() > 0) bootstrap.option(ChannelOption.SO_SNDBUF, config.sendBuffer());
        loop = group.next();
        loop.execute(this::connect);
        queue.start(loop);
    }

    @Override
    public boolean send(Message message) {
        if (closed) {
            queue.countDropped(1);
            return false;
        }
        MessageEncoder encoder = encoders.get();
        ByteBuf buf = encoder.encode(message, alloc);
        if (buf == null) {
            oversize.increment();
            long quiet = oversizeLog.tryAcquire();
            if (quiet >= 0) {
                LOG.log(Level.WARNING, "transport {0}: a {1,number,#}-byte message does not fit in one record (HEP3: 65535 bytes), not sent; Call-ID {2}",
                        name, encoder.encodedLength(message), CallIdForLog.of(message));
            }
            return false;
        }
        if (message.payloadLength() > 60_000 && encoder instanceof HepEncoder
                && encoder.encodedLength(message) > org.heptap.hep.codec.HepChunks.MAX_HEP3_LENGTH) {
            long quiet = oversizeLog.tryAcquire();
            if (quiet >= 0) {
                LOG.log(Level.INFO, "transport {0}: a {1,number,#}-byte message is larger than a HEP3 packet (65535 bytes): sent with its payload compressed (chunk 0x0010), which the collector must inflate; Call-ID {2}",
                        name, encoder.encodedLength(message), CallIdForLog.of(message));
            }
        }
        return queue.offer(buf);
    }

    @Override
    public boolean sendRaw(Message message) {
        if (closed) {
            queue.countDropped(1);
            return false;
        }
        MessageEncoder encoder = encoders.get();
        ByteBuf buf = encoder.encodeRaw(message, alloc);
        if (buf == null) {
            oversize.increment();
            return false;
        }
        return queue.offer(buf);
    }

    @Override
    public boolean handOver(ByteBuf packet) {
        if (closed || !healthy || !queue.offerNow(packet)) {
            packet.release();
            return false;
        }
        return true;
    }

    // ---- connection (event loop) ----

    private void connect() {
        if (closed) return;
        ChannelFuture f = bootstrap.connect(config.host(), config.port());
        f.addListener((ChannelFuture cf) -> {
            if (!cf.isSuccess()) {
                onConnectFailed(cf.cause());
                return;
            }
            Channel ch = cf.channel();
            Promise<Void> ready = ch.eventLoop().newPromise();
            if (config.security() != null) {
                ch.eventLoop().schedule(() -> {
                    ready.tryFailure(new TimeoutException("no TLS handshake within " + config.connectTimeout().toMillis() + " ms"));
                }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
                try {
                    config.security().secure(ch, config.host(), config.port(), ready);
                } catch (RuntimeException e) {
                    ready.tryFailure(e);
                }
            } else {
                ready.setSuccess(null);
            }
            ready.addListener(r -> {
                if (r.isSuccess()) {
                    onReady(ch);
                } else {
                    ch.close();
                    onConnectFailed(r.cause());
                }
            });
        });
    }

    private void onReady(Channel ch) {
        if (closed) {
            ch.close();
            return;
        }
        channel = ch;
        healthy = true;
        if (everConnected || attempts > 0) reconnects++;
        attempts = 0;
        lastFailure = null;
        writtenOnConnection = 0;
        recentCount = 0;
        Integer sb = ch.config().getOption(ChannelOption.SO_SNDBUF);
        sendBufferBytes = sb == null ? 0 : sb;
        long waiting = spool == null ? 0 : spool.frames();
        LOG.log(everConnected || waiting > 0 ? Level.INFO : Level.DEBUG, "transport {0}: connected to {1}{2}", name, config.target(),
                waiting > 0 ? "; sending " + waiting + " spooled packets first" : "");
        everConnected = true;
        ch.closeFuture().addListener(c -> onConnectionLost(ch));
        drainQueue();
    }

    private void onConnectionLost(Channel ch) {
        if (channel != ch) return;
        channel = null;
        if (closed) return;
        healthy = false;
        // estimate: what still fits in the socket send buffer may not have reached the collector
        long atRisk = 0;
        long atRiskBytes = 0;
        for (int i = 0; i < recentCount; i++) {
            int size = recentSizes[(recentNext - 1 - i + RECENT) % RECENT];
            if (atRiskBytes + size > sendBufferBytes && atRisk > 0) break;
            atRisk++;
            atRiskBytes += size;
        }
        unconfirmed += atRisk;
        LOG.log(Level.WARNING, "transport {0}: connection to {1} lost after {2} packets were written to it; up to the last {3} ({4} bytes, the socket send buffer) may not have reached the collector (TCP cannot tell); {5}",
                name, config.target(), writtenOnConnection, atRisk, atRiskBytes, whatNow());
        lastFailure = "connection lost";
        lastFailureLogged = System.nanoTime();
        scheduleReconnect();
        drainQueue();
    }

    private void onConnectFailed(Throwable cause) {
        if (closed) return;
        healthy = false;
        attempts++;
        String reason = reason(cause);
        long now = System.nanoTime();
        if (!reason.equals(lastFailure) || now - lastFailureLogged > LOG_INTERVAL_NANOS) {
            LOG.log(Level.WARNING, "transport {0}: cannot connect to {1}: {2}; retrying with back-off, {3}",
                    name, config.target(), reason, whatNow());
            lastFailure = reason;
            lastFailureLogged = now;
        }
        scheduleReconnect();
        drainQueue();
    }

    private String whatNow() {
        if (failover != null) return "packets go to the next collector";
        if (spool != null) return "packets are spooled to " + config.spoolDir();
        return "packets wait in the queue (" + config.queueSize() + " max)";
    }

    /** The deepest cause, said plainly: "Connection refused", "PKIX path building failed: ...". */
    static String reason(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        if (m != null && m.contains("failed with error(")) {
            m = m.substring(m.lastIndexOf(": ") + 2); // strip Netty's "finishConnect(..) failed with error(-111)"
        }
        if (t instanceof ClosedChannelException) m = "connection closed by the collector";
        String kind = t.getClass().getSimpleName();
        if (t instanceof java.security.cert.CertificateException || t instanceof javax.net.ssl.SSLException
                || kind.contains("CertPath") || kind.contains("Validator")) {
            return "TLS: " + (m == null ? kind : m);
        }
        return m == null ? kind : m;
    }

    private void scheduleReconnect() {
        if (closed) return;
        long min = Math.max(1, config.reconnectMin().toMillis());
        long max = Math.max(min, config.reconnectMax().toMillis());
        long base = Math.min(max, min << Math.min(Math.max(attempts - 1, 0), 20));
        long delay = (long) (base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        try {
            loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    // ---- sending (event loop) ----

    private void drainQueue() {
        try {
            drainOnce();
        } catch (IOException e) {
            long quiet = spoolLog.tryAcquire();
            if (quiet >= 0) LOG.log(Level.WARNING, "transport {0}: spool {1}: {2}", name, config.spoolDir(), e.toString());
            queue.drainStopped();
        }
    }

    private void drainOnce() throws IOException {
        if (closed) {
            discardQueued();
            queue.drainStopped();
            return;
        }
        Channel ch = channel;
        boolean spoolInUse = spool != null && !spool.isEmpty();
        if (ch == null || spoolInUse) {
            // keep order: while anything is spooled (or nothing can be sent), new packets go behind it
            PacketHandOver next = failover;
            ByteBuf buf;
            while ((buf = queue.peek()) != null) {
                if (ch == null && !healthy && next != null && next.healthy()) {
                    // a known failure (not the first connect still in progress): the next collector takes over
                    queue.poll();
                    if (!next.handOver(buf.retain())) {
                        if (spool == null) {
                            queue.countDropped(1);
                        } else {
                            toSpool(buf.retain());
                        }
                    }
                    buf.release();
                    completed.incrementAndGet();
                } else if (spool != null && (spoolInUse || !healthy)) {
                    // (while the first connection is still being made, packets wait in the queue)
                    queue.poll();
                    toSpool(buf);
                    completed.incrementAndGet();
                } else {
                    break; // waits in the queue for the connection
                }
            }
            spoolFrames = spool == null ? 0 : spool.frames();
        }
        if (ch == null) {
            queue.drainStopped();
            return;
        }
        int n = 0;
        ByteBuf buf;
        if (spool != null && !spool.isEmpty()) {
            while (n < MAX_BATCH && ch.isWritable() && (buf = spool.next(alloc)) != null) {
                spoolInFlight++;
                write(ch, buf, true);
                n++;
            }
            spoolFrames = spool.frames();
        } else {
            while (n < MAX_BATCH && ch.isWritable() && (buf = queue.poll()) != null) {
                write(ch, buf, false);
                n++;
            }
        }
        if (n > 0) ch.flush();
        if (!ch.isWritable()) return; // channelWritabilityChanged resumes
        if (!queue.isEmpty() || (spool != null && !spool.isEmpty())) {
            loop.execute(drainTask);
            return;
        }
        queue.drainFinished();
    }

    private void write(Channel ch, ByteBuf buf, boolean fromSpool) {
        SentPromise p = new SentPromise(ch, buf.readableBytes(), fromSpool);
        p.addListener(sentListener);
        ch.write(buf, p);
    }

    private void toSpool(ByteBuf buf) throws IOException {
        try {
            if (spool.append(buf)) {
                spooled++;
            } else {
                spoolDropped++;
                queue.countDropped(1);
                long quiet = spoolLog.tryAcquire();
                if (quiet >= 0) {
                    LOG.log(Level.WARNING, "transport {0}: spool {1} is full ({2} bytes max); new packets are dropped{3}",
                            name, config.spoolDir(), config.spoolMax(), quiet > 0 ? " (" + quiet + " more since the last report)" : "");
                }
            }
        } catch (IOException e) {
            queue.countDropped(1);
            throw e;
        } finally {
            buf.release();
        }
    }

    private void onWriteDone(ChannelFuture future) {
        SentPromise p = (SentPromise) future;
        if (p.fromSpool) {
            spoolInFlight--;
            replayed++;
        }
        if (future.isSuccess()) {
            sent++;
            bytes += p.size;
            writtenOnConnection++;
            recentSizes[recentNext] = p.size;
            recentNext = (recentNext + 1) % RECENT;
            if (recentCount < RECENT) recentCount++;
        } else if (closed) {
            queue.countDropped(1);
        } else {
            sendFailed++;
            long quiet = failureLog.tryAcquire();
            if (quiet >= 0) {
                LOG.log(Level.WARNING, "transport {0}: a packet to {1} was not sent: {2}{3}", name, config.target(), reason(future.cause()),
                        quiet > 0 ? " (" + quiet + " more since the last report)" : "");
            }
        }
        if (!p.fromSpool) completed.incrementAndGet();
    }

    private void discardQueued() {
        ByteBuf buf;
        while ((buf = queue.poll()) != null) {
            buf.release();
            queue.countDropped(1);
            completed.incrementAndGet();
        }
    }

    private long pending() {
        return Math.max(0, queue.accepted() - completed.get());
    }

    /**
     * Waits until every accepted packet is written, spooled or handed on, and, while connected,
     * until the spool is empty.
     */
    @Override
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        queue.schedule();
        while (pending() > 0 || (healthy && (spoolFrames > 0 || spoolInFlight > 0))) {
            if (loop == null || closed || System.nanoTime() - deadline >= 0) return pending() == 0;
            queue.schedule();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    @Override
    public void close() {
        if (closed) return;
        if (loop != null) {
            // move what is still queued to the spool before the loop stops
            try {
                loop.submit(() -> {
                    if (spool != null) {
                        try {
                            ByteBuf b;
                            while ((b = queue.poll()) != null) {
                                toSpool(b);
                                completed.incrementAndGet();
                            }
                        } catch (IOException e) {
                            LOG.log(Level.WARNING, "transport {0}: spool {1}: {2}", name, config.spoolDir(), e.toString());
                        }
                    }
                }).awaitUninterruptibly(5, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                // already stopping
            }
        }
        closed = true;
        if (group != null) {
            Channel ch = channel;
            if (ch != null) ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            boolean stopped = group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            if (!stopped) {
                // the spool is the sender thread's: closed once that thread is done with it, not under it
                LOG.log(Level.WARNING, "transport {0}: sender thread did not stop in 5 s; the spool is closed when it does", name);
                group.terminationFuture().addListener(f -> release());
                return;
            }
        }
        release();
    }

    /** After the sender thread ended (or never ran): drops what is still queued, closes the spool and the encoders. */
    private void release() {
        discardQueued();
        if (spool != null) {
            try {
                long left = spool.frames();
                spool.close();
                if (left > 0) LOG.log(Level.INFO, "transport {0}: {1} packets stay in the spool {2} for the next run", name, left, config.spoolDir());
            } catch (IOException e) {
                LOG.log(Level.WARNING, "transport {0}: spool {1}: {2}", name, config.spoolDir(), e.toString());
            }
        }
        encoders.close();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("sent", sent);
        c.put("bytes", bytes);
        c.put("queued", pending());
        c.put("dropped", queue.dropped());
        c.put("buffered", spoolFrames);
        c.put("spooled", spooled);
        c.put("replayed", replayed);
        c.put(FROM_EARLIER_SPOOL, fromEarlierSpool);
        c.put("reconnects", reconnects);
        c.put("send-failed", sendFailed);
        c.put("unconfirmed", unconfirmed);
        c.put("oversize", oversize.sum());
        return c;
    }

    private static final class SentPromise extends DefaultChannelPromise {
        final int size;
        final boolean fromSpool;

        SentPromise(Channel channel, int size, boolean fromSpool) {
            super(channel);
            this.size = size;
            this.fromSpool = fromSpool;
        }
    }

    /** Discards what the collector sends (nothing, normally; reading is how a close is noticed). */
    @ChannelHandler.Sharable
    private final class StreamHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) ctx.executor().execute(drainTask);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == channel) {
                long quiet = failureLog.tryAcquire();
                if (quiet >= 0) LOG.log(Level.WARNING, "transport {0}: {1}: {2}", name, config.target(), reason(cause));
            }
            ctx.close();
        }
    }

    /** What went wrong, in words: for some failures Java's message is only the path. */
    private static String spoolProblem(Exception e) {
        if (e instanceof AccessDeniedException a) return a.getFile() + ": permission denied";
        if (e instanceof FileAlreadyExistsException f) return f.getFile() + ": exists and is not a folder";
        if (e instanceof NoSuchFileException n) return n.getFile() + ": no such file or folder";
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
