package org.heptap.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import org.heptap.core.spi.ConnectionLayer;

/**
 * TLS on one accepted connection of a collector socket: Netty's {@link SslHandler}, behind a
 * look at the connection's first byte. A TLS client starts with a handshake record; anything
 * else is a peer that does not speak TLS, rejected at once. (Netty alone would take its bytes
 * for the header of an SSLv2 record and wait for thousands more, until the first-message
 * timeout.) Event loop only.
 */
final class TlsConnection extends ChannelInboundHandlerAdapter implements ConnectionLayer.Session {
    /** The TLS record type every client's first record has (its ClientHello). */
    private static final byte HANDSHAKE_RECORD = 22;

    private final SslHandler tls;
    private final Promise<Void> established = ImmediateEventExecutor.INSTANCE.newPromise();

    TlsConnection(SslHandler tls) {
        this.tls = tls;
        tls.setHandshakeTimeoutMillis(0); // the collector's tcp-first-message-timeout bounds a handshake
        tls.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) established.trySuccess(null);
            else established.tryFailure(f.cause());
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.pipeline().addAfter(ctx.name(), "tls", tls);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf first = (ByteBuf) msg;
        if (first.isReadable() && first.getByte(first.readerIndex()) != HANDSHAKE_RECORD) {
            String start = ByteBufUtil.hexDump(first, first.readerIndex(), Math.min(8, first.readableBytes()));
            first.release();
            established.tryFailure(new NotSslRecordException("not an SSL/TLS record: starts with " + start));
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(first);
    }

    @Override
    public ChannelHandler handler() {
        return this;
    }

    @Override
    public Future<?> established() {
        return established;
    }

    @Override
    public Future<?> ended() {
        return tls.sslCloseFuture();
    }

    @Override
    public String rejection(Throwable failure) {
        return TlsFailureReason.of(failure);
    }
}
