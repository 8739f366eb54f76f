package org.heptap.core.collector;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * One received message on its way from the event loop to the socket's plan thread: its bytes
 * (copied, in a buffer the slot keeps and reuses), where it came from and went to, and the
 * channel a reply goes back through. A {@link Handoff} owns a fixed set of these.
 */
final class Received {
    byte[] data = new byte[2048];
    int length;
    int ipProtocol;
    InetSocketAddress peer;
    /** The address it was received on (UDP: the listen address, a wildcard when listening on one). */
    InetSocketAddress local;

    Channel channel;
    /** UDP: the address a reply is sent to; null for a connection (the reply goes down it). */
    InetSocketAddress replyTo;

    void fill(ByteBuf src) {
        int len = src.readableBytes();
        room(len);
        src.getBytes(src.readerIndex(), data, 0, len);
        length = len;
    }

    void fill(byte[] src, int off, int len) {
        room(len);
        System.arraycopy(src, off, data, 0, len);
        length = len;
    }

    private void room(int len) {
        if (data.length < len) data = new byte[Math.max(len, data.length * 2)];
    }

    /** Drops the references to the connection and addresses (the bytes buffer is kept). */
    void clear() {
        peer = null;
        local = null;
        channel = null;
        replyTo = null;
        length = 0;
    }
}
