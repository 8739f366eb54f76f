package org.heptap.core.collector;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DatagramPacket;
import org.heptap.core.spi.ReplyChannel;

/**
 * The reply channel of the message being planned: one instance per socket, re-aimed per message
 * by the plan thread. A reply goes back over the socket or connection the message came in on
 * (through its connection layer: TLS encrypts it); the event loop writes it. A connection that
 * does not read what it is sent (its outbound buffer past {@code tcp-max-message}) gets no more:
 * the reply fails, counted.
 */
final class ReplyPath implements ReplyChannel {
    private final CollectorCounters counters;
    /** Event loop: a write that failed is a failure, not a reply. */
    private final ChannelFutureListener onWritten;

    private Channel channel;
    private java.net.InetSocketAddress replyTo;
    private boolean replied;

    ReplyPath(CollectorCounters counters) {
        this.counters = counters;
        this.onWritten = f -> {
            if (!f.isSuccess()) {
                counters.replies.decrement();
                counters.replyFailures.increment();
            }
        };
    }

    void aim(Received r) {
        channel = r.channel;
        replyTo = r.replyTo;
        replied = false;
    }

    void clear() {
        channel = null;
        replyTo = null;
    }

    @Override
    public boolean hasReplied() {
        return replied;
    }

    @Override
    public boolean send(byte[] buf, int off, int len, boolean isFinal) {
        if (isFinal && replied) {
            counters.repliesRefused++;
            return false;
        }
        Channel ch = channel;
        if (ch == null || !ch.isActive() || !ch.isWritable()) {
            counters.replyFailures.increment();
            return false;
        }
        // copied: the caller reuses buf, and the event loop writes later
        var bytes = Unpooled.copiedBuffer(buf, off, len);
        ch.writeAndFlush(replyTo != null ? new DatagramPacket(bytes, replyTo) : bytes)
                .addListener(onWritten);
        if (isFinal) replied = true;
        counters.replies.increment();
        return true;
    }
}
