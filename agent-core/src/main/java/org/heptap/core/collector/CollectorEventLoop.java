package org.heptap.core.collector;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one event loop every collector socket of the agent shares (NIO): it reads, frames,
 * handshakes TLS and writes replies; the plans run on each socket's own thread. One thread is
 * enough for that work and keeps the agent light.
 */
public final class CollectorEventLoop implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("collector-io", true));

    /** The loop a new socket's channels all go on (one loop per socket: its framing state needs no locks). */
    EventLoop next() {
        return group.next();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
