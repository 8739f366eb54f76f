package org.heptap.pcap;

import java.nio.file.Path;
import java.time.Duration;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.Transport;
import org.heptap.core.spi.TransportProvider;

/**
 * Reads a {@code type: pcap} transport profile:
 *
 * <pre>
 * transports:
 *   files:
 *     type: pcap
 *     directory: /var/lib/heptap/pcap   # made when missing; files are 0640, the agent's user's
 *     rotate-interval: 30s     # a new file every 30 s (0 or absent: never by time)
 *     rotate-size: 100MB       # a new file once one is this large on disk (absent: never by size)
 *     gzip: false              # .pcap.gz
 *     max-total-size: 10GB     # retention: delete the oldest files while all take more
 *     max-age: 7d              # retention: delete files older than this (s, m, h; 7d = 168h)
 *     queue-size: 8192         # messages waiting for the writer thread; full = dropped (waits when offline)
 * </pre>
 *
 * Files are named {@code NODE-PROFILE-YYYYMMDD-HHMMSS.pcap} (UTC start time).
 */
public final class PcapTransportProvider implements TransportProvider {
    static final int DEFAULT_QUEUE = 8192;
    static final int MAX_QUEUE = 1 << 20;

    @Override
    public String type() {
        return "pcap";
    }

    @Override
    public Transport create(String name, ConfigNode profile, AgentContext agent) {
        PcapSettings s = read(name, profile, agent.nodeName());
        profile.finish();
        return s == null ? null : new PcapTransport(name, s, agent.offline(), System::currentTimeMillis);
    }

    /** The profile's settings, or null when it has errors (each reported on its key). */
    static PcapSettings read(String name, ConfigNode profile, String nodeName) {
        int errorsBefore = profile.problems().errors().size();
        String dir = profile.string("directory", null);
        if (dir == null || dir.isBlank()) {
            profile.error("directory: missing: the folder the pcap files are written to, e.g. /var/lib/heptap/pcap");
        }
        Duration interval = profile.duration("rotate-interval", Duration.ZERO);
        if (!interval.isZero() && interval.compareTo(Duration.ofSeconds(1)) < 0) {
            profile.child("rotate-interval").error(interval.toMillis() + " ms is too short: at least 1s (0 for never)");
        }
        long size = profile.size("rotate-size", 0);
        if (size > 0 && size < 4096) {
            profile.child("rotate-size").error(size + " bytes is too small: at least 4k (0 for never)");
        }
        boolean gzip = profile.bool("gzip", false);
        long maxTotal = profile.size("max-total-size", 0);
        Duration maxAge = durationWithDays(profile, "max-age");
        int queue = (int) profile.integer("queue-size", DEFAULT_QUEUE, 1, MAX_QUEUE);
        if (profile.problems().errors().size() > errorsBefore || dir == null) return null;
        return new PcapSettings(
                Path.of(dir), FileNames.base(nodeName, name), interval, size, gzip, maxTotal, maxAge, queue);
    }

    /** A duration that may also be given in days ({@code 7d}), the unit retention is thought of in. */
    private static Duration durationWithDays(ConfigNode profile, String key) {
        ConfigNode c = profile.child(key);
        String v = c == null || c.isNull() ? null : c.text();
        if (v != null && v.trim().matches("\\d{1,3}\\s*d")) {
            long days = Long.parseLong(v.trim().replaceAll("\\D", ""));
            if (days > 365) {
                c.error(v + " is out of range (0s to 365 days)");
                return Duration.ZERO;
            }
            return Duration.ofDays(days);
        }
        return profile.duration(key, Duration.ZERO);
    }
}
