package org.heptap.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.heptap.core.log.RateLimitedLog;
import org.heptap.core.message.Message;
import org.heptap.transport.UdpConfig.NativeMode;

/**
 * Sends records (HEP, JSON: see {@link WireFormat}) over UDP to one collector.
 *
 * <p>Pipeline threads call {@link #send}: the message is encoded into a pooled buffer (the only
 * allocation on their side) and offered to a bounded multi-producer queue. A full queue drops the
 * packet and counts it, so capture never waits on the network; in offline runs (pcap files) the
 * caller waits for space instead, because there nothing upstream can overflow.
 *
 * <p>One Netty event-loop thread drains the queue: it writes up to {@link #MAX_BATCH} datagrams
 * and flushes once, which the epoll transport turns into one {@code sendmmsg} call. It stops while
 * the channel is above its write-buffer high-water mark and resumes when it drops, so the only
 * unbounded-looking buffer (Netty's outbound buffer) stays bounded too.
 */
public final class UdpSender implements Collector {
    private static final System.Logger LOG = System.getLogger(UdpSender.class.getName());

    /** Largest UDP payload over IPv4 (65535 − 20 IP − 8 UDP); bigger HEP packets are not sent. */
    public static final int MAX_UDP_PAYLOAD = 65507;
    /** Datagrams per flush: what one sendmmsg call takes (UIO_MAXIOV). */
    static final int MAX_BATCH = 1024;

    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final UdpConfig config;
    private final boolean offline;
    private final SendQueue queue;

    private final WireFormat format;
    private final EncoderPerThread encoders;
    private final RecordIntake intake;
    /** Where datagrams are encoded: slots this sender gives back as it sends them. */
    private final DatagramBufferPool buffers;

    private final Runnable drainTask = this::drainQueue;

    // Written by the event loop only (single writer, read by stats). Datagrams are written with
    // the channel's void promise (no promise, listener or packet object per datagram): what left
    // the channel is what was handed to it minus what its outbound buffer still holds, and a
    // failed write is reported to SenderHandler.exceptionCaught.
    private long handed;
    private long handedBytes;
    private final SenderLedger ledger;
    private long discarded;

    private final RateLimitedLog failureLog = new RateLimitedLog(1, LOG_INTERVAL_NANOS, System::nanoTime);

    private volatile boolean closed;
    private volatile EventLoop loop;
    private EventLoopGroup group;
    private Channel channel;
    private InetSocketAddress remote;
    /** Normally true; false when the collector had no route at start (see start()). */
    private boolean connected;

    private boolean usingEpoll;

    /**
     * A UDP collector that sends {@code format}'s records (HEP, or JSON for type: json profiles),
     * encoded into {@code buffers} (its configuration's, {@link DatagramBufferPool#of}).
     */
    public UdpSender(String name, UdpConfig config, boolean offline, WireFormat format, DatagramBufferPool buffers) {
        this.name = name;
        this.buffers = buffers;
        this.config = config;
        this.offline = offline;
        this.format = format;
        this.queue = new SendQueue(config.queueSize(), offline, drainTask, () -> !closed && loop != null);
        this.ledger = new SenderLedger(queue);
        this.encoders = new EncoderPerThread(format, MAX_UDP_PAYLOAD, false);
        this.intake = new RecordIntake(name, format, encoders, queue, () -> closed, "one UDP datagram", 10, buffers);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(format.describe("udp " + hostPort(config.host(), config.port())));
        if (loop != null) sb.append(usingEpoll ? " (epoll)" : " (nio)");
        return sb.toString();
    }

    @Override
    public String target() {
        return "udp:" + hostPort(config.host(), config.port());
    }

    /** UDP cannot tell whether the collector is up: always true. */
    @Override
    public boolean healthy() {
        return true;
    }

    /**
     * Fail-over from a stream collector: an already encoded packet, if it fits a datagram and the
     * queue has room now. A refusal counts nothing here: the collector handing over counts it.
     */
    @Override
    public boolean handOver(ByteBuf packet) {
        if (closed || packet.readableBytes() > MAX_UDP_PAYLOAD || !queue.offerNow(packet)) {
            packet.release();
            return false;
        }
        return true;
    }

    public UdpConfig config() {
        return config;
    }

    @Override
    public void start() {
        if (loop != null) return;
        InetAddress address;
        try {
            address = InetAddress.getByName(config.host());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(
                    "transport " + name + ": cannot resolve collector host " + config.host() + ": " + e.getMessage(),
                    e);
        }
        remote = new InetSocketAddress(address, config.port());
        boolean v6 = address instanceof Inet6Address;
        InternetProtocolFamily family = v6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4;
        usingEpoll = config.nativeMode() != NativeMode.FALSE && Epoll.isAvailable();
        if (config.nativeMode() == NativeMode.TRUE && !usingEpoll) {
            throw new IllegalStateException(
                    "transport " + name + ": native: true, but epoll is not available", Epoll.unavailabilityCause());
        }
        DefaultThreadFactory threads = new DefaultThreadFactory("hep-" + name, true);
        group = usingEpoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
        ChannelFactory<DatagramChannel> channels =
                usingEpoll ? () -> new EpollDatagramChannel(family) : () -> new NioDatagramChannel(family);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channelFactory(channels)
                .option(ChannelOption.AUTO_READ, false) // send-only socket
                .option(ChannelOption.SO_SNDBUF, 1 << 20)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .handler(new SenderHandler());
        // connected: datagrams go out as plain buffers (no per-datagram address), and an ICMP
        // "port unreachable" from the collector's host shows up as a counted, logged send failure
        ChannelFuture bound = bootstrap
                .connect(remote, new InetSocketAddress(anyAddress(v6), 0))
                .awaitUninterruptibly();
        connected = bound.isSuccess();
        if (!connected) {
            // no route to the collector yet (an SBC booting before its network is up): an
            // unconnected socket addresses each datagram, and sends work once a route appears
            LOG.log(
                    Level.WARNING,
                    "transport {0}: cannot reach {1} now ({2}); sending unconnected, each datagram addressed",
                    name,
                    hostPort(config.host(), config.port()),
                    Connector.reason(bound.cause()));
            bound = bootstrap
                    .handler(new SenderHandler())
                    .bind(new InetSocketAddress(anyAddress(v6), 0))
                    .awaitUninterruptibly();
        }
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            group = null;
            throw new IllegalStateException(
                    "transport " + name + ": cannot open a UDP socket: " + bound.cause(), bound.cause());
        }
        channel = bound.channel();
        loop = channel.eventLoop();
        queue.start(loop); // anything sent before start
    }

    @Override
    public boolean send(Message message) {
        return intake.send(message);
    }

    /**
     * {@code send_hep_raw}: the payload alone, without the format, to the same collector. Same
     * queue, counters and limits as {@link #send}.
     */
    @Override
    public boolean sendRaw(Message message) {
        return intake.sendRaw(message);
    }

    /** Event loop: moves one batch from the queue into the channel and flushes it. */
    private void drainQueue() {
        Channel ch = channel;
        if (closed || !ch.isActive()) {
            discardQueued();
            queue.drainStopped();
            return;
        }
        int n = 0;
        ByteBuf buf;
        while (n < MAX_BATCH && ch.isWritable() && (buf = queue.poll()) != null) {
            handedBytes += buf.readableBytes();
            Object datagram = connected ? buf : new DatagramPacket(buf, remote);
            if (config.batch()) ch.write(datagram, ch.voidPromise());
            else ch.writeAndFlush(datagram, ch.voidPromise());
            n++;
        }
        handed += n;
        if (n > 0 && config.batch()) ch.flush();
        settle(ch);
        if (!ch.isWritable()) return; // flag stays set; channelWritabilityChanged resumes us
        if (queue.isEmpty()) {
            queue.drainFinished();
        } else {
            loop.execute(drainTask); // more than a batch waiting: let the loop do its I/O in between
        }
    }

    /** Event loop: what has left the channel (sent or failed) since it was handed over. */
    private void settle(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        long held = out == null ? 0 : out.size();
        long heldBytes = out == null ? 0 : out.totalPendingWriteBytes();
        long left = handed - held;
        ledger.sent = left - ledger.sendFailed;
        ledger.bytes = handedBytes - heldBytes;
        ledger.completed.set(discarded + left);
    }

    private void discardQueued() {
        discarded += ledger.discardQueued();
    }

    private static String quietNote(long quiet) {
        return quiet > 0 ? " (" + quiet + " more since the last report)" : "";
    }

    @Override
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        queue.schedule();
        while (ledger.pending() > 0) {
            if (loop == null || closed || System.nanoTime() - deadline >= 0) return ledger.pending() == 0;
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
        return true;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        queue.wakeWaiters(); // an offline producer waiting for room sees the close now
        if (group != null) {
            // what the channel still holds is dropped with it; then the loop's last drain task,
            // if any, discards the queue
            Channel ch = channel;
            try {
                loop.submit(() -> {
                            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
                            if (out != null && out.size() > 0) {
                                long held = out.size();
                                queue.countDropped(held);
                                handed -= held;
                                handedBytes -= out.totalPendingWriteBytes();
                                discarded += held;
                            }
                            ch.close();
                            settle(ch);
                        })
                        .awaitUninterruptibly(2, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
            if (!SenderLedger.stop(group, name)) return; // the queue has a single consumer; never race it
        }
        discardQueued();
        encoders.close();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = ledger.counters();
        c.put("oversize", intake.oversize());
        c.put("send-failed", ledger.sendFailed);
        return c;
    }

    /** For tests: the sender thread, or null before start. */
    EventLoop eventLoop() {
        return loop;
    }

    /** For tests: the slots datagrams are encoded in. */
    DatagramBufferPool buffers() {
        return buffers;
    }

    /** True when started on epoll rather than NIO. */
    public boolean usingEpoll() {
        return usingEpoll;
    }

    private static InetAddress anyAddress(boolean v6) {
        try {
            return InetAddress.getByAddress(new byte[v6 ? 16 : 4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // a 4- or 16-byte array is always accepted
        }
    }

    private static String hostPort(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** Resumes draining when the channel drops below its low-water mark again. */
    private final class SenderHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            // execute, not call: this fires from inside a flush, possibly inside drainQueue
            if (ctx.channel().isWritable()) ctx.executor().execute(drainTask);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a datagram that could not be written (void promise); after close() it is already
            // counted as dropped
            if (closed) return;
            ledger.sendFailed++;
            long quiet = failureLog.tryAcquire();
            if (quiet >= 0) {
                String target = hostPort(config.host(), config.port());
                if (cause instanceof java.net.PortUnreachableException) {
                    // the collector's host answered ICMP "port unreachable" to an earlier datagram
                    LOG.log(
                            Level.WARNING,
                            "transport {0}: {1} refuses HEP over UDP (port unreachable): is the collector running and listening there? unsent datagrams are counted as send-failed{2}",
                            name,
                            target,
                            quietNote(quiet));
                } else {
                    LOG.log(
                            Level.WARNING,
                            "transport {0}: sending to {1} failed: {2}{3}",
                            name,
                            target,
                            cause,
                            quietNote(quiet));
                }
            }
        }
    }
}
