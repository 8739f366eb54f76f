package org.heptap.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Connects one stream collector: TCP with a timeout, then the security hook's handshake (TLS), and
 * after a failure or a lost connection connects again with exponential back-off and jitter. It
 * logs each new reason for failing once (again after a quiet interval) and counts reconnects.
 * Event loop only, except {@link #reconnects()}.
 */
final class Connector {
    private static final System.Logger LOG = System.getLogger(StreamSender.class.getName());
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** What the sender does when a connection is ready or an attempt failed. */
    interface Listener {
        /** {@code again}: an earlier connection existed (a reconnect, logged at INFO). */
        void connected(Channel channel, boolean again);

        void failed();
    }

    private final String name;
    private final StreamConfig config;
    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final Listener listener;
    private final BooleanSupplier closed;
    private final Supplier<String> whatNow;

    private int attempts;
    private boolean everConnected;
    private String lastFailure;
    private long lastFailureLogged;
    private volatile long reconnects;

    /** @param whatNow what happens to packets while the collector is down, for the log line */
    Connector(
            String name,
            StreamConfig config,
            Bootstrap bootstrap,
            EventLoop loop,
            Listener listener,
            BooleanSupplier closed,
            Supplier<String> whatNow) {
        this.name = name;
        this.config = config;
        this.bootstrap = bootstrap;
        this.loop = loop;
        this.listener = listener;
        this.closed = closed;
        this.whatNow = whatNow;
    }

    void start() {
        loop.execute(this::connect);
    }

    long reconnects() {
        return reconnects;
    }

    private void connect() {
        if (closed.getAsBoolean()) return;
        ChannelFuture f = bootstrap.connect(config.host(), config.port());
        f.addListener((ChannelFuture cf) -> {
            if (!cf.isSuccess()) {
                failed(cf.cause());
                return;
            }
            Channel ch = cf.channel();
            Promise<Void> ready = ch.eventLoop().newPromise();
            if (config.security() != null) {
                ch.eventLoop()
                        .schedule(
                                () -> {
                                    ready.tryFailure(new TimeoutException("no TLS handshake within "
                                            + config.connectTimeout().toMillis() + " ms"));
                                },
                                config.connectTimeout().toMillis(),
                                TimeUnit.MILLISECONDS);
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
                    ready(ch);
                } else {
                    ch.close();
                    failed(r.cause());
                }
            });
        });
    }

    private void ready(Channel ch) {
        if (closed.getAsBoolean()) {
            ch.close();
            return;
        }
        boolean again = everConnected;
        if (everConnected || attempts > 0) reconnects++;
        attempts = 0;
        lastFailure = null;
        everConnected = true;
        listener.connected(ch, again);
    }

    private void failed(Throwable cause) {
        if (closed.getAsBoolean()) return;
        attempts++;
        String reason = reason(cause);
        long now = System.nanoTime();
        if (!reason.equals(lastFailure) || now - lastFailureLogged > LOG_INTERVAL_NANOS) {
            LOG.log(
                    Level.WARNING,
                    "transport {0}: cannot connect to {1}: {2}; retrying with back-off, {3}",
                    name,
                    config.target(),
                    reason,
                    whatNow.get());
            lastFailure = reason;
            lastFailureLogged = now;
        }
        scheduleReconnect();
        listener.failed();
    }

    /** The sender noticed its connection die (and logged it): connect again after the back-off. */
    void lost() {
        lastFailure = "connection lost";
        lastFailureLogged = System.nanoTime();
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (closed.getAsBoolean()) return;
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
        if (t instanceof java.security.cert.CertificateException
                || t instanceof javax.net.ssl.SSLException
                || kind.contains("CertPath")
                || kind.contains("Validator")) {
            return "TLS: " + (m == null ? kind : m);
        }
        return m == null ? kind : m;
    }
}
