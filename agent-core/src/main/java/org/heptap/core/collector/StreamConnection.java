package org.heptap.core.collector;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.heptap.core.message.Message;
import org.heptap.core.spi.ConnectionLayer;
import org.heptap.core.spi.StreamFramer;

/**
 * One accepted TCP connection of a collector socket, on the event loop: the bytes it receives
 * (after the connection layer, if any) are framed by the socket's {@link StreamFramer} and each
 * complete message copied into a hand-off slot. It frames only as many messages as there are
 * free slots; with none it stops reading (TCP flow control holds the sender) and frames the rest
 * when the plan thread has caught up. At most {@code tcp-max-message} unframed bytes are held:
 * beyond, the framer found no message end and the connection is closed (counted).
 */
final class StreamConnection extends ChannelInboundHandlerAdapter implements ReadThrottle.Reader {
    /** What every connection of a socket shares. */
    record Intake(
            StreamFramer framer, Handoff handoff, ReadThrottle throttle, CollectorCounters counters, int maxMessage) {}

    final Channel channel;
    final InetSocketAddress peer;
    private final InetSocketAddress local;
    /** Null without a connection layer. */
    final ConnectionLayer.Session session;

    final String scheme;
    private final Intake intake;
    private final StreamFramer.Span span = new StreamFramer.Span();
    private byte[] in = new byte[4096];
    private int inLength;
    final long accepted = System.nanoTime();
    long lastActive = accepted;
    /** Complete messages framed so far (0: not yet shown to speak the protocol). */
    long messages;

    boolean paused;
    /** The peer ended the connection layer: closed once what it holds is framed. */
    private boolean ended;
    /** Closed by the collector for a reason it logged itself: the layer's failure then says nothing. */
    boolean closedByUs;

    StreamConnection(Channel channel, ConnectionLayer.Session session, String scheme, Intake intake) {
        this.channel = channel;
        this.peer = (InetSocketAddress) channel.remoteAddress();
        this.local = (InetSocketAddress) channel.localAddress();
        this.session = session;
        this.scheme = scheme;
        this.intake = intake;
    }

    /** Whether the connection layer (if any) has completed its handshake. */
    boolean established() {
        return session == null || session.established().isSuccess();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        try {
            lastActive = System.nanoTime();
            int n = b.readableBytes();
            if (in.length - inLength < n)
                in = Arrays.copyOf(in, Math.max(inLength + n, Math.min(intake.maxMessage(), in.length * 2)));
            b.readBytes(in, inLength, n);
            inLength += n;
        } finally {
            b.release();
        }
        if (!paused) frame();
    }

    /** Hands complete messages to the plan thread while slots are free; keeps the rest at the start. */
    private void frame() {
        int off = 0;
        Handoff handoff = intake.handoff();
        while (off < inLength && channel.isActive()) {
            if (handoff.free() == 0) {
                intake.throttle().pause(this);
                break;
            }
            int used = intake.framer().next(in, off, inLength - off, span);
            if (used <= 0) break;
            if (span.length > 0) {
                intake.counters().streamMessages++;
                messages++;
                Received r = handoff.claim(); // not null: this loop is the only one that claims
                r.fill(in, span.offset, span.length);
                r.ipProtocol = Message.IP_PROTO_TCP;
                r.peer = peer;
                r.local = local;
                r.channel = channel;
                handoff.publish(r);
            } else {
                intake.counters().streamBytesSkipped +=
                        used; // keep-alives, or garbage skipped to find the next message
            }
            off += used;
        }
        System.arraycopy(in, off, in, 0, inLength - off);
        inLength -= off;
        if (!paused && inLength >= intake.maxMessage() && channel.isActive()) {
            // the framer found no message end within the bound: not our protocol, or abuse
            intake.counters().connectionsOversize++;
            close();
        }
    }

    /**
     * The peer ended the connection layer (TLS close_notify). The close waits for the read under
     * way to be framed (it may hold the last messages), and while paused for what is held.
     */
    void peerEnded() {
        ended = true;
        channel.eventLoop().execute(this::closeWhenFramed);
    }

    private void closeWhenFramed() {
        if (!paused) channel.close();
    }

    @Override
    public void stopReading() {
        paused = true;
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeReading() {
        paused = false;
        if (!channel.isActive()) return;
        frame();
        if (!paused && ended) channel.close();
        else if (!paused) channel.config().setAutoRead(true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // reset by the peer, or the layer's failure (its handshake future says why): the connection goes
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        intake.throttle().forget(this);
    }

    /** Closes the connection for a reason the caller logged or counted. */
    void close() {
        closedByUs = true;
        channel.close();
    }
}
