package org.heptap.core.spi;

/**
 * Finds where one message ends in a reassembled byte stream (SIP over TCP, ...). agent-core
 * reassembles TCP and knows no protocol; a module exports a framer that knows where its messages
 * end ({@link HeptapModule#streamFramers()}), and each socket picks one by name.
 *
 * <p>A framer keeps no state between calls: everything it needs is in the bytes it is shown, so
 * one instance serves every flow of a socket's thread.
 */
public interface StreamFramer {
    /** Name a socket chooses it by ({@code stream-framer: sip}). */
    String name();

    /**
     * Looks at the unread start of a flow, {@code buf[off, off + len)}, which it may rewrite in
     * place (WebSocket unmasking). Returns how many bytes to consume (0: wait for more) and sets
     * {@code span} to the message within them, or to length 0 when the bytes hold none
     * (keep-alives, noise skipped to find the next message).
     */
    int next(byte[] buf, int off, int len, Span span);

    /** Where a framed message lies in the flow's buffer. */
    final class Span {
        public int offset;
        public int length;

        public void set(int offset, int length) {
            this.offset = offset;
            this.length = length;
        }
    }
}
