package org.heptap.core.collector;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.heptap.core.message.Message;

/**
 * One UDP listen address of a collector socket, on the event loop: each datagram is copied into
 * a hand-off slot for the plan thread. It stops reading while few slots are free (a read takes
 * up to {@link #BATCH} datagrams at once), so the kernel's receive buffer holds the burst; a
 * datagram that still finds no slot is dropped and counted ({@code collector-handoff-dropped}).
 */
final class UdpListener extends SimpleChannelInboundHandler<DatagramPacket> implements ReadThrottle.Reader {
    /** Datagrams one read of the channel takes at most (the channel's MAX_MESSAGES_PER_READ). */
    static final int BATCH = 16;

    private final InetSocketAddress listenAt;
    private final Handoff handoff;
    private final ReadThrottle throttle;
    private final CollectorCounters counters;
    /** Free slots below which it pauses: one batch of every UDP address of the socket. */
    private final int headroom;

    private Channel channel;

    UdpListener(
            InetSocketAddress listenAt,
            Handoff handoff,
            ReadThrottle throttle,
            CollectorCounters counters,
            int udpAddresses) {
        this.listenAt = listenAt;
        this.handoff = handoff;
        this.throttle = throttle;
        this.counters = counters;
        this.headroom = Math.min(handoff.capacity() / 2, BATCH * udpAddresses);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
        counters.datagrams++;
        Received r = handoff.claim();
        if (r == null) {
            counters.handoffDropped++;
            throttle.pause(this);
            return;
        }
        r.fill(p.content());
        r.ipProtocol = Message.IP_PROTO_UDP;
        r.peer = p.sender();
        r.local = listenAt;
        r.channel = ctx.channel();
        r.replyTo = p.sender();
        handoff.publish(r);
        if (handoff.free() < headroom) throttle.pause(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // an ICMP error of an earlier reply (port unreachable): the listener serves on
    }

    @Override
    public void stopReading() {
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeReading() {
        channel.config().setAutoRead(true);
    }
}
