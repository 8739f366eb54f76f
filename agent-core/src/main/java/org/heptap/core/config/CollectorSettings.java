package org.heptap.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heptap.core.spi.ConnectionLayer;

/**
 * A collector socket ({@code type: collector}): instead of capturing, heptap listens and is the
 * addressee of what it receives (captagent's socket_collector: phones PUBLISH RFC 6035 reports
 * to it; a relay of another agent's envelopes would be another use).
 *
 * @param listen         where it listens, each {@code udp:HOST:PORT}, {@code tcp:HOST:PORT} or
 *                       {@code <scheme>:HOST:PORT}: TCP through a module's connection layer
 * @param reply          answer each received request the plan left unanswered with the
 *                       responder's automatic response (a module's reply to a report it took)
 * @param responder      name of the module responder that builds the automatic response
 * @param protocolType   protocol type (a module's number) a received message starts with (captagent's
 *                       {@code protocol-type}; parsers set their own)
 * @param maxConnections TCP connections open at once; a new one beyond is refused (counted)
 * @param format         {@code raw}: a received message is the payload itself; otherwise the name
 *                       of a module's envelope format (e.g. envelopes from other agents, relayed)
 * @param layers         the connection layer of each scheme the listen entries use (by scheme)
 * @param limits         bounds against bad or hostile senders
 */
public record CollectorSettings(
        List<Listen> listen,
        boolean reply,
        String responder,
        int protocolType,
        int maxConnections,
        String format,
        Map<String, ConnectionLayer> layers,
        Limits limits) {
    public CollectorSettings(
            List<Listen> listen, boolean reply, String responder, int protocolType, int maxConnections, String format) {
        this(listen, reply, responder, protocolType, maxConnections, format, Map.of(), Limits.DEFAULTS);
    }

    /**
     * What one sender may cost the socket, so that a bad or hostile one cannot lock the others
     * out.
     *
     * @param maxConnectionsPerSource   TCP connections one source address may hold open at once;
     *                                  a new one beyond is refused (counted, logged)
     * @param firstMessageTimeoutNanos  a TCP connection that has not delivered one complete
     *                                  message this long after it was accepted is closed
     * @param receiveBuffer             SO_RCVBUF asked for each UDP listen address, bytes
     * @param inflatePerSource          bytes per second one source address may make the socket
     *                                  inflate (compressed envelope payloads); beyond, refused
     * @param inflateMaxPayload         most bytes one compressed payload may inflate to
     */
    public record Limits(
            int maxConnectionsPerSource,
            long firstMessageTimeoutNanos,
            int receiveBuffer,
            long inflatePerSource,
            int inflateMaxPayload) {
        public static final Limits DEFAULTS = new Limits(16, 5_000_000_000L, 8 << 20, 8L << 20, 256 << 10);
    }

    /** The format of a socket that receives the protocol itself, not an envelope. */
    public static final String RAW = "raw";

    public boolean isRaw() {
        return RAW.equals(format);
    }

    /**
     * One listening address.
     *
     * @param layer null for plain UDP/TCP; else the scheme of the connection layer its TCP
     *              connections go through ({@code tls})
     */
    public record Listen(boolean tcp, String host, int port, String layer) {
        private static final Pattern SCHEME = Pattern.compile("([a-z][a-z0-9-]*):(.*)");

        public Listen(boolean tcp, String host, int port) {
            this(tcp, host, port, null);
        }

        /**
         * Parses {@code udp:HOST:PORT}, {@code tcp:HOST:PORT} (IPv6 as {@code [::1]}) or
         * {@code <scheme>:HOST:PORT} (TCP through the layer of that scheme, e.g. tls); the protocol
         * defaults to udp. Null when it is not that shape.
         */
        public static Listen parse(String text) {
            String t = text.trim();
            Matcher m = SCHEME.matcher(t);
            if (m.matches()) {
                String scheme = m.group(1);
                Listen l = parseAddress(
                        m.group(2),
                        !scheme.equals("udp"),
                        scheme.equals("udp") || scheme.equals("tcp") ? null : scheme);
                if (l != null) return l;
            }
            return parseAddress(t, false, null);
        }

        private static Listen parseAddress(String t, boolean tcp, String layer) {
            String host;
            String portText;
            if (t.startsWith("[")) {
                int close = t.indexOf(']');
                if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') return null;
                host = t.substring(1, close);
                portText = t.substring(close + 2);
            } else {
                int colon = t.lastIndexOf(':');
                if (colon <= 0 || t.indexOf(':') != colon) return null;
                host = t.substring(0, colon);
                portText = t.substring(colon + 1);
            }
            int port;
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                return null;
            }
            if (port < 1 || port > 65535 || host.isEmpty()) return null;
            return new Listen(tcp, host, port, layer);
        }

        @Override
        public String toString() {
            return (layer != null ? layer + ":" : tcp ? "tcp:" : "udp:")
                    + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Parses every entry; entries that do not parse are reported through {@code node}. */
    static List<Listen> parseAll(ConfigNode node) {
        List<Listen> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        for (ConfigNode e : node.elements()) {
            String t = e.text();
            if (t == null) continue;
            Listen l = Listen.parse(t);
            if (l == null)
                e.error(
                        t
                                + " is not udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT (e.g. udp:0.0.0.0:9060, tcp:[::]:9060)");
            else out.add(l);
        }
        return out;
    }
}
