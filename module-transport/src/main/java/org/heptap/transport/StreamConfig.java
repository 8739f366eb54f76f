package org.heptap.transport;

import java.nio.file.Path;
import java.time.Duration;
import org.heptap.core.spi.StreamSecurity;

/**
 * One TCP or TLS collector of a transport profile after validation.
 *
 * @param proto          {@code tcp} or {@code tls}
 * @param queueSize      encoded packets waiting for the sender thread; full = dropped
 * @param connectTimeout how long one connection attempt (TCP, then TLS handshake) may take
 * @param reconnectMin   first wait after a failure; doubled per failed attempt ...
 * @param reconnectMax   ... up to this, each wait randomised by ±20 % (jitter)
 * @param keepalive      SO_KEEPALIVE on the connection
 * @param sendBuffer     SO_SNDBUF in bytes (0 = the system's); smaller = fewer packets at risk
 *                       when a connection dies without notice
 * @param spoolDir       on-disk buffer for this collector, or null when off
 * @param spoolMax       largest spool size in bytes
 * @param security       TLS (from module-tls), or null for plain TCP
 */
public record StreamConfig(
        String proto,
        String host,
        int port,
        int queueSize,
        Duration connectTimeout,
        Duration reconnectMin,
        Duration reconnectMax,
        boolean keepalive,
        int sendBuffer,
        Path spoolDir,
        long spoolMax,
        StreamSecurity security) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(500);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);
    public static final long DEFAULT_SPOOL_MAX = 100L << 20;

    public String target() {
        return proto + ":" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
