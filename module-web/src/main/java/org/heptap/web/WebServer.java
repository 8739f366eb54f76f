package org.heptap.web;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.heptap.core.control.Operations;
import org.heptap.core.ledger.LossLedger;
import org.heptap.core.spi.ActiveCalls;
import org.heptap.core.spi.ConnectionLayer;
import org.heptap.core.spi.OperatorService;

/**
 * The web page and JSON API on one Netty event-loop thread of its own ({@code web-io}): it shares
 * nothing with capture or collector threads, reads counters the agent keeps anyway, and bounds
 * what a client can make it hold (connections, request size, one request at a time, timeouts),
 * so a slow or hostile client cannot stall capture or delivery.
 */
final class WebServer implements OperatorService {
    private static final Logger LOG = System.getLogger(WebServer.class.getName());
    private static final int MAX_INITIAL_LINE = 4096;

    private final WebSettings settings;
    private final WebCounters counters = new WebCounters();
    private final ConnectionGate gate;
    /** Requests for calls waiting for the worker; more are refused with 503 (busy). */
    static final int WORKER_QUEUE = 16;

    private EventLoopGroup group;
    private ExecutorService worker;
    private Channel server;

    WebServer(WebSettings settings) {
        this.settings = settings;
        this.gate = new ConnectionGate(settings.maxConnections());
    }

    @Override
    public void start(Operations ops) throws IOException {
        RateSamples rates = new RateSamples(settings.rateInterval(), WebSettings.RATE_WINDOW);
        QualityHistory quality = new QualityHistory();
        CallsApi calls = new CallsApi(() -> ops.agent().config().context(), quality, CallsApi.MAX_PCAP);
        WebApi api = new WebApi(ops, rates, new StaticFiles(), () -> counters.toMap(gate), calls);
        worker = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE),
                new DefaultThreadFactory("web-calls", true));
        Authenticator auth = new Authenticator(settings.token(), settings.users());
        ConnectionLayer tls = settings.tls();
        int maxRequest = settings.maxRequestBytes();
        long timeout = settings.requestTimeout().toMillis();
        group = new NioEventLoopGroup(1, new DefaultThreadFactory("web-io", true));
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        var p = ch.pipeline();
                        p.addLast(gate);
                        if (tls != null) {
                            ConnectionLayer.Session s = tls.open(ch.alloc(), ch.remoteAddress());
                            p.addLast(s.handler());
                            s.established().addListener(f -> {
                                if (!f.isSuccess()) ch.close();
                            });
                        }
                        p.addLast(new HttpServerCodec(MAX_INITIAL_LINE, maxRequest, 8192));
                        p.addLast(new BoundedAggregator(maxRequest, counters));
                        p.addLast(new WebHandler(api, auth, timeout, counters, worker));
                    }
                });
        InetSocketAddress at = new InetSocketAddress(
                settings.listen().host(), settings.listen().port());
        try {
            server = b.bind(at).sync().channel();
        } catch (Exception e) {
            close();
            throw new IOException(
                    "web: cannot listen on " + settings.listen() + ": " + e.getMessage()
                            + " (is another agent using it? change web.listen or --web)",
                    e);
        }
        long every = settings.rateInterval().toMillis();
        group.scheduleAtFixedRate(
                () -> {
                    try {
                        long now = System.currentTimeMillis();
                        rates.add(now, LossLedger.of(ops.agent()));
                        ActiveCalls measured =
                                ActiveCalls.of(ops.agent().config().context());
                        if (measured.measured()) quality.add(now, measured.calls());
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "web: rate sample failed: " + e);
                    }
                },
                0,
                every,
                TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, describe());
    }

    @Override
    public String describe() {
        String scheme = settings.tls() != null ? "https" : "http";
        String who = settings.token() != null && !settings.users().isEmpty()
                ? "token or users " + String.join(", ", settings.users().keySet())
                : settings.token() != null
                        ? "token"
                        : !settings.users().isEmpty()
                                ? "users " + String.join(", ", settings.users().keySet())
                                : "none";
        return "web: " + scheme + "://" + settings.listen() + "/ (sign-in: " + who + ")";
    }

    int openConnections() {
        return gate.open();
    }

    /** The port it listens on (the configured one, or the one the system chose for port 0). */
    int port() {
        return server == null ? -1 : ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (worker != null) worker.shutdownNow();
        if (server != null) server.close().awaitUninterruptibly(1000);
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2000);
        server = null;
        group = null;
        worker = null;
    }
}
