package org.heptap.transport;

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
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.heptap.core.log.RateLimitedLog;
import org.heptap.core.message.Message;

/**
 * Sends self-delimiting records (HEP3, JSON lines: see {@link WireFormat}) over one TCP connection
 * (TLS through a {@link org.heptap.core.spi.StreamSecurity} hook) to one collector: records back to
 * back on the stream, no extra framing (hep-wire-format.md §4).
 *
 * <p>Pipeline threads encode into a pooled buffer and offer it to a bounded {@link SendQueue},
 * exactly like the UDP sender; a full queue is a counted drop (offline runs wait while the
 * collector is reachable or the spool can take the packets). One event-loop thread owns the
 * connection ({@link Connector}: connect, back-off, reconnect) and writes batches. While the
 * collector cannot take packets, the {@link OrderedOutbox} keeps them in capture order across
 * fail-over and the spool; when a connection dies, {@link UnconfirmedEstimate} says how many
 * written packets may not have arrived ({@code unconfirmed}, logged).
 */
public final class StreamSender implements Collector {
    private static final System.Logger LOG = System.getLogger(StreamSender.class.getName());

    static final int MAX_BATCH = 1024;
    /** Largest record a stream takes; HEP3 caps itself at 65535 bytes (its length field). */
    static final int MAX_STREAM_RECORD = 4 << 20;

    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String name;
    private final StreamConfig config;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final SendQueue queue;
    private final WireFormat format;
    private final EncoderPerThread encoders;
    private final RecordIntake intake;
    private final SenderLedger ledger;
    private final OrderedOutbox outbox;
    private final UnconfirmedEstimate unconfirmed = new UnconfirmedEstimate();

    private final Runnable drainTask = this::drainQueue;
    private final ChannelFutureListener sentListener = this::onWriteDone;

    private final RateLimitedLog failureLog = RateLimitedLog.oncePer(LOG_INTERVAL_NANOS, TimeUnit.NANOSECONDS);

    private volatile boolean closed;
    private volatile boolean healthy = true;
    private volatile PacketHandOver failover;
    private volatile EventLoop loop;
    private volatile Connector connector;
    private EventLoopGroup group;

    // event loop only
    private Channel channel;

    /**
     * A stream collector that sends {@code format}'s records (HEP3, or newline-delimited JSON for
     * type: json profiles). A spool needs self-delimiting records (the profile reader refuses
     * one otherwise).
     */
    public StreamSender(String name, StreamConfig config, boolean offline, WireFormat format) {
        if (config.spoolDir() != null && !format.selfDelimiting()) {
            throw new IllegalArgumentException("transport " + name + ": a spool needs self-delimiting records");
        }
        this.name = name;
        this.config = config;
        this.format = format;
        // offline producers wait for room while the queue can move: collector up, spool or fail-over
        this.queue = new SendQueue(
                config.queueSize(),
                offline,
                drainTask,
                () -> !closed && loop != null && (healthy || config.spoolDir() != null || failover != null));
        this.encoders = new EncoderPerThread(format, MAX_STREAM_RECORD, true);
        this.intake = new RecordIntake(name, format, encoders, queue, () -> closed, "one record", 10, alloc);
        this.ledger = new SenderLedger(queue);
        this.outbox = new OrderedOutbox(name, config, queue, ledger.completed);
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
        if (config.security() != null)
            sb.append(" (").append(config.security().describe()).append(')');
        if (config.spoolDir() != null)
            sb.append(" spool ")
                    .append(config.spoolDir())
                    .append(" max ")
                    .append(config.spoolMax())
                    .append(" bytes");
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
        return !healthy && failover != null && ledger.pending() > 0;
    }

    @Override
    public void start() {
        if (loop != null) return;
        if (config.spoolDir() != null) {
            Spool spool;
            try {
                spool = new Spool(config.spoolDir(), config.spoolMax(), format.framing());
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(
                        "transport " + name + ": cannot open the spool " + config.spoolDir() + ": " + spoolProblem(e)
                                + "; it must be a folder the agent's user may write",
                        e);
            }
            outbox.use(spool);
            if (!spool.isEmpty()) {
                LOG.log(
                        Level.INFO,
                        "transport {0}: {1} packets ({2} bytes) left in the spool {3} by an earlier run; they are sent first",
                        name,
                        spool.frames(),
                        spool.bytes(),
                        config.spoolDir());
            }
        }
        if (config.security() != null) config.security().start(name, config.target());
        boolean usingEpoll = Epoll.isAvailable();
        DefaultThreadFactory threads = new DefaultThreadFactory("hep-" + name, true);
        group = usingEpoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(usingEpoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .option(ChannelOption.SO_KEEPALIVE, config.keepalive())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .handler(new StreamHandler());
        if (config.sendBuffer() > 0) bootstrap.option(ChannelOption.SO_SNDBUF, config.sendBuffer());
        EventLoop l = group.next();
        connector = new Connector(name, config, bootstrap, l, new Connections(), () -> closed, this::whatNow);
        loop = l;
        connector.start();
        queue.start(l);
    }

    @Override
    public boolean send(Message message) {
        return intake.send(message);
    }

    @Override
    public boolean sendRaw(Message message) {
        return intake.sendRaw(message);
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

    /** What the connector reports. */
    private final class Connections implements Connector.Listener {
        @Override
        public void connected(Channel ch, boolean again) {
            channel = ch;
            healthy = true;
            Integer sb = ch.config().getOption(ChannelOption.SO_SNDBUF);
            unconfirmed.connected(sb == null ? 0 : sb);
            long waiting = outbox.buffered();
            LOG.log(
                    again || waiting > 0 ? Level.INFO : Level.DEBUG,
                    "transport {0}: connected to {1}{2}",
                    name,
                    config.target(),
                    waiting > 0 ? "; sending " + waiting + " spooled packets first" : "");
            ch.closeFuture().addListener(c -> onConnectionLost(ch));
            drainQueue();
        }

        @Override
        public void failed() {
            healthy = false;
            drainQueue();
        }
    }

    private void onConnectionLost(Channel ch) {
        if (channel != ch) return;
        channel = null;
        if (closed) return;
        healthy = false;
        long atRisk = unconfirmed.connectionLost();
        LOG.log(
                Level.WARNING,
                "transport {0}: connection to {1} lost after {2} packets were written to it; up to the last {3} ({4} bytes, the socket send buffer) may not have reached the collector (TCP cannot tell); {5}",
                name,
                config.target(),
                unconfirmed.writtenOnConnection(),
                atRisk,
                unconfirmed.lastAtRiskBytes(),
                whatNow());
        connector.lost();
        drainQueue();
    }

    private String whatNow() {
        if (failover != null) return "packets go to the next collector";
        if (outbox.hasSpool()) return "packets are spooled to " + config.spoolDir();
        return "packets wait in the queue (" + config.queueSize() + " max)";
    }

    // ---- sending (event loop) ----

    private void drainQueue() {
        try {
            drainOnce();
        } catch (IOException e) {
            outbox.readFailed(e);
            queue.drainStopped();
        }
    }

    private void drainOnce() throws IOException {
        if (closed) {
            ledger.discardQueued();
            queue.drainStopped();
            return;
        }
        Channel ch = channel;
        outbox.divert(ch != null, !healthy, failover);
        if (ch == null) {
            queue.drainStopped();
            return;
        }
        int n = 0;
        ByteBuf buf;
        if (outbox.spoolInUse()) {
            while (n < MAX_BATCH && ch.isWritable() && (buf = outbox.replayNext(alloc)) != null) {
                write(ch, buf, true);
                n++;
            }
        } else {
            while (n < MAX_BATCH && ch.isWritable() && (buf = queue.poll()) != null) {
                write(ch, buf, false);
                n++;
            }
        }
        if (n > 0) ch.flush();
        if (!ch.isWritable()) return; // channelWritabilityChanged resumes
        if (!queue.isEmpty() || outbox.spoolInUse()) {
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

    private void onWriteDone(ChannelFuture future) {
        SentPromise p = (SentPromise) future;
        if (p.fromSpool) outbox.replayDone();
        if (future.isSuccess()) {
            ledger.sent++;
            ledger.bytes += p.size;
            unconfirmed.written(p.size);
        } else if (closed) {
            queue.countDropped(1);
        } else {
            ledger.sendFailed++;
            long quiet = failureLog.tryAcquire();
            if (quiet >= 0) {
                LOG.log(
                        Level.WARNING,
                        "transport {0}: a packet to {1} was not sent: {2}{3}",
                        name,
                        config.target(),
                        Connector.reason(future.cause()),
                        quiet > 0 ? " (" + quiet + " more since the last report)" : "");
            }
        }
        if (!p.fromSpool) ledger.completed.incrementAndGet();
    }

    /**
     * Waits until every accepted packet is written, spooled or handed on, and, while connected,
     * until the spool is empty.
     */
    @Override
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        queue.schedule();
        while (ledger.pending() > 0 || (healthy && outbox.replayPending())) {
            if (loop == null || closed || System.nanoTime() - deadline >= 0) return ledger.pending() == 0;
            queue.schedule();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /**
     * Stops sending. What is still queued goes to the spool and the spool is closed, on the
     * event loop (the spool's only user): if the loop is busy past the wait, it does so as soon
     * as it gets to it, so the spool is closed in every case; without a loop, here.
     */
    @Override
    public void close() {
        if (closed) return;
        Future<?> last = null;
        if (loop != null) {
            try {
                last = loop.submit(this::closeOnLoop);
                last.awaitUninterruptibly(5, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                last = null; // the loop has stopped: nobody else touches the spool
            }
        }
        closed = true;
        queue.wakeWaiters(); // an offline producer waiting for room sees the close now
        if (last == null) outbox.closeSpool();
        if (group != null) {
            Channel ch = channel;
            if (ch != null) ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            if (!SenderLedger.stop(group, name)) return; // the queue has a single consumer; never race it
        }
        ledger.discardQueued();
        encoders.close();
    }

    /** Event loop, at close: the queue into the spool, then the spool closed; nothing is sent after. */
    private void closeOnLoop() {
        outbox.moveQueueToSpool();
        closed = true;
        outbox.closeSpool();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = ledger.counters();
        c.put("buffered", outbox.buffered());
        c.put("spooled", outbox.spooled());
        c.put("replayed", outbox.replayed());
        c.put(FROM_EARLIER_SPOOL, outbox.fromEarlierSpool());
        c.put("reconnects", connector == null ? 0 : connector.reconnects());
        c.put("send-failed", ledger.sendFailed);
        c.put("unconfirmed", unconfirmed.total());
        c.put("oversize", intake.oversize());
        c.put("spool-write-failed", outbox.spoolWriteFailed());
        return c;
    }

    /** For tests: the sender thread, or null before start. */
    EventLoop eventLoop() {
        return loop;
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
                if (quiet >= 0)
                    LOG.log(Level.WARNING, "transport {0}: {1}: {2}", name, config.target(), Connector.reason(cause));
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
