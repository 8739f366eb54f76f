package org.heptap.transport;

/**
 * One UDP collector of a transport profile after validation.
 *
 * @param host       collector host name or address, resolved at start
 * @param port       collector UDP port
 * @param queueSize  encoded packets waiting for the sender thread (rounded up to a power of two)
 * @param batch      write a batch of datagrams and flush once (sendmmsg with epoll) instead of
 *                   flushing every datagram
 * @param nativeMode whether to use Netty's epoll transport
 */
public record UdpConfig(String host, int port, int queueSize, boolean batch, NativeMode nativeMode) {
    public enum NativeMode {
        /** epoll when the native library loads, NIO otherwise. */
        AUTO,
        /** epoll or fail at start. */
        TRUE,
        /** always NIO. */
        FALSE
    }

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9060;
    public static final int DEFAULT_QUEUE_SIZE = 65536;
    /**
     * Queue bound of offline runs (capture files): there the reader waits for room instead of
     * dropping, so a deep queue would only hold memory. One sendmmsg batch; with the batch being
     * sent, as many as the datagram slots ({@link DatagramBufferPool}), so a reader that runs
     * ahead waits instead of encoding outside them (bench/README.md, issue 15).
     */
    public static final int OFFLINE_QUEUE_SIZE = 1024;
}
