package org.heptap.core.spi;

/**
 * The way back to whoever sent the message a plan is running for: set on messages a collector
 * socket received (UDP: the sender's address through the same socket; TCP: the same connection),
 * absent (null) on captured packets, which heptap only observes. A module that answers requests
 * ({@code send_reply()} of module sip) builds the bytes; the socket only delivers them.
 *
 * <p>The channel enforces one final response per received message: once a final one was sent,
 * further final ones are refused, and the socket's automatic reply is skipped.
 */
public interface ReplyChannel {
    /** True once a final response went back for the current message. */
    boolean hasReplied();

    /**
     * Sends {@code buf[off, off + len)} to the sender of the current message. {@code isFinal}
     * false is for provisional responses, which may precede the final one. Returns false when
     * nothing was sent: a final response was already sent, or the socket failed (counted).
     */
    boolean send(byte[] buf, int off, int len, boolean isFinal);
}
