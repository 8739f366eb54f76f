package org.heptap.core.metrics;

import java.util.Locale;
import java.util.Map;
import org.heptap.core.decode.DecodeResult;

/**
 * The one-line {@code # HELP} text of each loss-ledger counter on {@code /metrics}. Counters
 * whose names come from modules (discard lists, per-collector counters of a profile) get a text
 * built from their name; nothing is left without one.
 */
final class MeterHelp {
    private MeterHelp() {}

    private static final Map<String, String> SOCKET = Map.ofEntries(
            Map.entry("kernel-received", "Packets the kernel handed to the socket's capture (libpcap ps_recv)"),
            Map.entry(
                    "kernel-dropped",
                    "Packets the kernel dropped because the capture buffer was full (libpcap ps_drop)"),
            Map.entry("interface-dropped", "Packets the network interface or its driver dropped (libpcap ps_ifdrop)"),
            Map.entry("captured", "Frames the socket read from the capture (live or file)"),
            Map.entry("paused", "Frames read while the socket was paused (heptapctl pause): counted, not decoded"),
            Map.entry("decoded", "Messages the decoder delivered (UDP datagrams, TCP segments, tunnel payloads)"),
            Map.entry("not-admitted", "Decoded messages outside the socket's ports or transport protocol"),
            Map.entry("discarded-ip", "Messages dropped before the plan by the socket's discard-ips list"),
            Map.entry("tcp-segments", "TCP segments taken into stream reassembly"),
            Map.entry("tcp-messages", "Messages framed out of reassembled TCP streams"),
            Map.entry("plan-sent", "Messages the plan sent to at least one transport"),
            Map.entry(
                    "plan-skipped", "Messages the plan ran on and sent nowhere (dropped by the plan, or a plan error)"),
            Map.entry("plan-errors", "Plan runs that failed with an error (each costs its message)"),
            Map.entry(
                    "transport-sends",
                    "Sends the socket's plan made to transports (a message sent to two counts twice)"),
            Map.entry("transport-refused", "Sends a transport refused at once (full queue, oversize, closed)"));

    private static final Map<String, String> TRANSPORT = Map.ofEntries(
            Map.entry("offered", "Messages plans offered to the transport"),
            Map.entry("sent", "Messages the transport delivered to its collectors"),
            Map.entry("bytes", "Bytes the transport delivered to its collectors"),
            Map.entry("queued", "Messages waiting in the transport's queue now"),
            Map.entry("dropped", "Messages dropped by the transport (queue or spool full, closed at stop)"),
            Map.entry("oversize", "Messages too large for the transport's record or datagram, not sent"),
            Map.entry("send-failed", "Messages whose write to the collector failed"),
            Map.entry("unconfirmed", "Messages written to a TCP connection that then died: they may not have arrived"),
            Map.entry("buffered", "Messages in the on-disk spool now"),
            Map.entry("spooled", "Messages written to the on-disk spool while the collector was down"),
            Map.entry("replayed", "Messages taken out of the on-disk spool and written to the collector"),
            Map.entry("from-earlier-spool", "Messages an earlier run left in the on-disk spool, found at start"),
            Map.entry("reconnects", "Connections to the collector made again after a failure"),
            Map.entry(
                    "fan-out-copies",
                    "Extra copies of messages a fan-out sent to more than one collector (n - 1 per message)"),
            Map.entry(
                    "spool-write-failed",
                    "Messages the on-disk spool could not take because writing it failed (disk full, folder gone)"),
            Map.entry("silenced", "Messages the console transport did not print because its output is switched off"));

    /** Help of a socket counter of the ledger. */
    static String socket(String key) {
        String h = SOCKET.get(key);
        if (h != null) return h;
        if (key.startsWith("decode-")) return "Frames whose decoding ended as " + decodeResult(key.substring(7));
        if (key.startsWith("discarded-"))
            return "Messages dropped before the plan by the socket's discard-" + key.substring(10) + "s list";
        return "Socket counter '" + key + "' of the loss ledger (heptapctl stats)";
    }

    /** Help of a transport counter of the ledger; a profile's per-collector counters are "TARGET key". */
    static String transport(String key) {
        int space = key.lastIndexOf(' ');
        if (space > 0) return transport(key.substring(space + 1)) + ", collector " + key.substring(0, space);
        String h = TRANSPORT.get(key);
        return h != null ? h : "Transport counter '" + key + "' of the loss ledger (heptapctl stats)";
    }

    private static String decodeResult(String key) {
        for (DecodeResult r : DecodeResult.values()) {
            if (r.name().equals(key.toUpperCase(Locale.ROOT).replace('-', '_'))) return describe(r);
        }
        return key;
    }

    private static String describe(DecodeResult r) {
        return switch (r) {
            case DELIVERED -> "a delivered message";
            case NO_PAYLOAD -> "a packet without payload (empty datagram, bare TCP segment)";
            case NOT_IP -> "not IP (ARP, LLDP, ...)";
            case UNSUPPORTED_LINK -> "a link type the decoder does not know";
            case UNSUPPORTED_PROTOCOL -> "IP carrying neither UDP nor TCP (ICMP, ESP, ...)";
            case FRAGMENT -> "an IP fragment (held for reassembly, or reassembly is off)";
            case DUPLICATE -> "a duplicate of a packet seen moments ago";
            case NESTED_TOO_DEEP -> "tunnels nested deeper than the decoder follows";
            case TRUNCATED -> "cut inside a header (short frame or snaplen)";
            case MALFORMED -> "a header that contradicts itself (malformed)";
            case REFUSED -> "a collector record refused under the socket's limits (e.g. an inflate budget)";
        };
    }
}
