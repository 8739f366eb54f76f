package org.heptap.core.transport;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heptap.core.message.Message;
import org.heptap.core.spi.Transport;

/**
 * Prints each message in the form engineers know from ngrep:
 * <pre>
 * U 2023/12/27 20:02:54.240623 10.0.0.1:8000 -> 10.0.0.2:8000
 * (the payload, as text)
 * </pre>
 * Meant for a first run and for debugging, so it writes on the capture thread; in mode
 * {@code auto} it prints only when standard output is a terminal, which keeps a service's
 * journal free of payloads.
 */
public final class ConsoleTransport implements Transport {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private final String name;
    private final boolean enabled;
    private final OutputStream out;
    private final ZoneId zone;
    private long sent;
    private long bytes;
    /** Messages accepted while silent (stdout not a terminal): accounted for, not printed. */
    private long silenced;

    public ConsoleTransport(String name, boolean enabled, OutputStream out, ZoneId zone) {
        this.name = name;
        this.enabled = enabled;
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.zone = zone;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return "console (stdout" + (enabled ? ")" : ", silent: stdout is not a terminal)");
    }

    @Override
    public synchronized boolean send(Message m) {
        if (!enabled) {
            silenced++;
            return true;
        }
        StringBuilder sb = new StringBuilder(96);
        appendHeader(sb, m, zone).append('\n');
        try {
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.write(m.payload(), m.payloadOffset(), m.payloadLength());
            if (m.payloadLength() == 0 || m.payload()[m.payloadOffset() + m.payloadLength() - 1] != '\n')
                out.write('\n');
            out.write('\n');
            sent++;
            bytes += m.payloadLength();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The first line of a printed message, {@code U 2023/12/27 20:02:54.240623 1.2.3.4:8000 -> 5.6.7.8:8000}
     * (no newline); also used by {@code heptapctl watch}.
     */
    public static StringBuilder appendHeader(StringBuilder sb, Message m, ZoneId zone) {
        sb.append(m.ipProtocol() == Message.IP_PROTO_TCP ? 'T' : m.ipProtocol() == Message.IP_PROTO_SCTP ? 'S' : 'U')
                .append(' ');
        long us = m.timestampMicros();
        Instant t = Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L));
        sb.append(TS.format(t.atZone(zone))).append('.');
        String frac = Long.toString(Math.floorMod(us, 1_000_000L));
        for (int i = frac.length(); i < 6; i++) sb.append('0');
        sb.append(frac).append(' ');
        endpoint(sb, m.srcIpText(), m.ipVersion(), m.srcPort()).append(" -> ");
        return endpoint(sb, m.dstIpText(), m.ipVersion(), m.dstPort());
    }

    private static StringBuilder endpoint(StringBuilder sb, String ip, int version, int port) {
        if (version == 6) sb.append('[').append(ip).append(']');
        else sb.append(ip);
        return sb.append(':').append(port);
    }

    @Override
    public synchronized boolean drain(Duration timeout) {
        try {
            out.flush();
        } catch (IOException ignored) {
            // stdout closed: nothing left to deliver anyway
        }
        return true;
    }

    @Override
    public void close() {
        drain(Duration.ZERO);
    }

    @Override
    public synchronized Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("sent", sent);
        c.put("bytes", bytes);
        c.put("silenced", silenced);
        return c;
    }
}
