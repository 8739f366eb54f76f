package org.heptap.hep.transport;

import io.netty.channel.epoll.Epoll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.StreamSecurity;
import org.heptap.core.spi.StreamSecurityProvider;
import org.heptap.core.spi.Transport;
import org.heptap.core.spi.TransportProvider;
import org.heptap.hep.codec.HepSettings;
import org.heptap.transport.Collector;
import org.heptap.transport.CollectorGroup;
import org.heptap.transport.DatagramBufferPool;
import org.heptap.transport.StreamConfig;
import org.heptap.transport.StreamSender;
import org.heptap.transport.UdpConfig;
import org.heptap.transport.UdpConfig.NativeMode;
import org.heptap.transport.UdpSender;
import org.heptap.transport.WireFormat;

/**
 * Reads a {@code type: hep} transport profile:
 *
 * <pre>
 * transports:
 *   hepsocket:
 *     type: hep
 *     host: 127.0.0.1     # collector; name or IPv4/IPv6 address, resolved at start (or a list)
 *     port: 9060
 *     proto: udp          # udp, tcp or tls (tls needs module-tls)
 *     collectors: [tcp:a:9060, tls:b:9061]   # instead of host/port/proto: several collectors
 *     mode: fanout        # fanout (every collector gets everything) or failover (first healthy)
 *     connect-timeout: 5s # tcp/tls: one connection attempt
 *     reconnect-min: 500ms  # tcp/tls: back-off after a failure, doubling ...
 *     reconnect-max: 30s    # ... up to this, with ±20 % jitter
 *     keepalive: true     # tcp/tls: SO_KEEPALIVE
 *     send-buffer: 0      # tcp/tls: SO_SNDBUF bytes (0 = system default)
 *     spool: {dir: /var/lib/heptap/spool, max-size: 100MB}   # tcp/tls: on-disk buffer while down
 *     tls: {...}          # see module-tls
 *     version: 3          # 1, 2 or 3
 *     capture-id: 2001    # default agent.node-id
 *     password: myhep     # optional: chunk 0x000e
 *     node-name: node1    # default agent.node-name; empty = no chunk 0x0013
 *     compress: false     # zlib payload in chunk 0x0010 (v3 only)
 *     queue-size: 65536   # packets waiting to be sent; full = dropped (waits when offline)
 *     batch: true         # one flush per batch (sendmmsg with epoll)
 *     native: auto        # epoll when available (auto), required (true) or never (false)
 * </pre>
 */
public final class HepTransportProvider implements TransportProvider {
    @Override
    public String type() {
        return "hep";
    }

    @Override
    public Transport create(String name, ConfigNode profile, AgentContext agent) {
        int errorsBefore = profile.problems().errors().size();
        ProfileSettings ps = readProfile(name, profile, agent);
        profile.finish();
        if (ps == null || profile.problems().errors().size() > errorsBefore) return null;
        return collectors(name, ps, new HepWireFormat(ps.hep()), agent);
    }

    /**
     * The transport of a validated profile: one collector, or a fan-out/fail-over of several.
     * Each sends {@code format}'s records; the UDP ones encode into the configuration's datagram slots.
     */
    public static Transport collectors(String name, ProfileSettings ps, WireFormat format, AgentContext agent) {
        boolean offline = agent.offline();
        List<Collector> collectors = new ArrayList<>();
        for (Object c : ps.collectors()) {
            if (c instanceof UdpConfig u) {
                collectors.add(new UdpSender(name, u, offline, format, DatagramBufferPool.of(agent.hooks())));
            } else {
                StreamConfig sc = (StreamConfig) c;
                collectors.add(new StreamSender(name, sc, offline, format));
            }
        }
        if (collectors.size() == 1) return collectors.get(0);
        return new CollectorGroup(name, ps.mode(), collectors);
    }

    /**
     * A validated profile: its mode, one {@link UdpConfig} or {@link StreamConfig} per
     * collector, what its HEP packets carry, and the capture id (for a json profile,
     * {@code capt_id}; its HEP settings are then unused).
     */
    public record ProfileSettings(CollectorGroup.Mode mode, List<Object> collectors, HepSettings hep, long captureId) {}

    /** Keys of a hep profile that mean nothing to a json one (type: json). */
    private static final List<String> HEP_ONLY_KEYS = List.of("version", "password", "node-name", "compress", "spool");

    /** One collector as written: {@code proto:host:port}. */
    record Target(String proto, String host, int port) {}

    /** transport_hep.xml names operators bring along from captagent, and heptap's key for each. */
    private static final Map<String, String> CAPTAGENT_KEYS = Map.of(
            "capture-host", "host",
            "capture-port", "port",
            "capture-proto", "proto",
            "capture-password", "password",
            "payload-compression", "compress",
            "udp-bind-host", "(none: the socket binds to any address)",
            "udp-bind-port", "(none: the source port is ephemeral)");

    /** The validated hep profile, or null after reporting its errors through {@code profile}. */
    static ProfileSettings readProfile(String name, ConfigNode profile, AgentContext agent) {
        return readProfile(name, profile, agent, false);
    }

    /**
     * The validated profile, or null after reporting its errors through {@code profile}. With
     * {@code json}, the connection keys only (a type: json profile): the HEP keys are errors,
     * and the caller reads its own keys and calls {@link ConfigNode#finish()}.
     */
    public static ProfileSettings readProfile(String name, ConfigNode profile, AgentContext agent, boolean json) {
        int errorsBefore = profile.problems().errors().size();
        if (json) {
            for (String k : HEP_ONLY_KEYS) {
                if (profile.has(k)) {
                    profile.child(k)
                            .error(
                                    k.equals("spool")
                                            ? "a json profile has no spool: its newline-delimited documents cannot be found again in a file the way HEP3 packets can"
                                            : "is a HEP setting; a json profile does not use it (its keys: host, port, proto, collectors, mode, capture-id, payload-send, ...)");
                }
            }
        }
        for (Map.Entry<String, String> k : CAPTAGENT_KEYS.entrySet()) {
            if (profile.has(k.getKey())) {
                profile.child(k.getKey()).error("unknown key: this is captagent's name; heptap's is " + k.getValue());
            }
        }

        int port = profile.port("port", UdpConfig.DEFAULT_PORT);
        String proto = profile.oneOf("proto", "udp", "udp", "tcp", "tls");
        List<Target> targets = new ArrayList<>();
        if (profile.has("collectors")) {
            if (profile.has("host")) profile.child("host").error("give either host or collectors, not both");
            ConfigNode list = profile.child("collectors");
            for (ConfigNode e : list.elements()) {
                Target t = parseTarget(e.text() == null ? "" : e.text(), proto, port);
                if (t == null)
                    e.error(
                            "\"" + e.text()
                                    + "\" is not a collector: write proto:host:port, e.g. tcp:10.0.0.1:9060 or tls:[2001:db8::1]:9061");
                else targets.add(t);
            }
            if (targets.isEmpty() && list.elements().isEmpty()) list.error("must list at least one collector");
        } else {
            List<String> hosts = profile.has("host") ? profile.strings("host") : List.of(UdpConfig.DEFAULT_HOST);
            for (String h : hosts) {
                String host = h.trim();
                if (host.isEmpty()) profile.child("host").error("must name the collector (a host name or an address)");
                if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
                targets.add(new Target(proto, host, port));
            }
        }
        CollectorGroup.Mode mode = CollectorGroup.Mode.valueOf(
                profile.oneOf("mode", "fanout", "fanout", "failover").toUpperCase(Locale.ROOT));
        boolean anyStream = targets.stream().anyMatch(t -> !t.proto().equals("udp"));

        int version = json ? 3 : (int) profile.integer("version", 3, 1, 3);
        if (anyStream && version != 3) {
            profile.child("version")
                    .error("HEP v" + version + " cannot be sent over tcp or tls: only HEP3 carries its own length, so a"
                            + " receiver could not split the stream into packets; use version: 3, or proto: udp for v"
                            + version);
        }
        long captureId = profile.integer("capture-id", agent.nodeId(), 0, 0xffffffffL);
        if (captureId < 0 || captureId > 0xffffffffL) {
            profile.error(
                    "capture-id: the default agent node id " + captureId + " does not fit in 32 bits; set capture-id");
            captureId = 0;
        }
        if (version == 2 && captureId > 0xffff) {
            ConfigNode at = profile.has("capture-id") ? profile.child("capture-id") : profile;
            at.warning("capture-id " + captureId + " is sent as " + (captureId & 0xffff) + " (HEP v2 carries 16 bits)");
        }
        String password = json ? null : profile.string("password", null);
        String nodeName = json ? "" : profile.string("node-name", agent.nodeName());

        boolean compress = !json && profile.bool("compress", false);
        if (compress && version != 3) {
            profile.child("compress").error("needs version 3 (HEP v" + version + " has no compressed payload chunk)");
            compress = false;
        }

        int queueSize = (int) profile.integer("queue-size", UdpConfig.DEFAULT_QUEUE_SIZE, 2, 1 << 24);
        boolean batch = profile.bool("batch", true);
        NativeMode nativeMode = NativeMode.valueOf(
                profile.oneOf("native", "auto", "auto", "true", "false").toUpperCase(Locale.ROOT));
        if (nativeMode == NativeMode.TRUE && !Epoll.isAvailable()) {
            Throwable cause = Epoll.unavailabilityCause();
            profile.child("native")
                    .error("true, but Netty's epoll transport is not available here"
                            + (cause == null ? "" : " (" + cause.getMessage() + ")") + "; use auto or false");
        }

        Duration connectTimeout = profile.duration("connect-timeout", StreamConfig.DEFAULT_CONNECT_TIMEOUT);
        Duration reconnectMin = profile.duration("reconnect-min", StreamConfig.DEFAULT_RECONNECT_MIN);
        Duration reconnectMax = profile.duration("reconnect-max", StreamConfig.DEFAULT_RECONNECT_MAX);
        if (reconnectMax.compareTo(reconnectMin) < 0)
            profile.child("reconnect-max").error("must not be shorter than reconnect-min");
        boolean keepalive = profile.bool("keepalive", true);
        int sendBuffer = (int) profile.integer("send-buffer", 0, 0, 64 << 20);

        Path spoolDir = null;
        long spoolMax = StreamConfig.DEFAULT_SPOOL_MAX;
        if (!json && profile.has("spool")) {
            ConfigNode sp = profile.section("spool");
            String dir = sp.string("dir", null);
            spoolMax = sp.size("max-size", StreamConfig.DEFAULT_SPOOL_MAX);
            if (dir == null || dir.isBlank()) sp.error("dir: must name a folder for the on-disk buffer");
            else spoolDir = Path.of(dir);
            if (spoolMax < 65536) sp.child("max-size").error("must be at least 64KB");
            sp.finish();
            if (!anyStream)
                profile.child("spool")
                        .warning(
                                "only tcp and tls collectors use the spool; over udp nothing tells the agent a collector is down");
        }

        StreamSecurity security = null;
        boolean anyTls = targets.stream().anyMatch(t -> t.proto().equals("tls"));
        if (anyTls) {
            StreamSecurityProvider tls = securityProvider("tls");
            if (tls == null) {
                profile.error("proto tls needs module-tls (org.heptap.tls), which is not on the class path");
            } else {
                security = tls.configure(name, profile.section("tls"));
            }
        } else if (profile.has("tls")) {
            profile.child("tls").warning("ignored: no collector of this profile uses proto tls");
        }

        if (profile.problems().errors().size() > errorsBefore) return null;
        HepSettings hep = new HepSettings(version, captureId, password, nodeName, compress);
        List<Object> collectors = new ArrayList<>();
        for (Target t : targets) {
            if (t.proto().equals("udp")) {
                collectors.add(new UdpConfig(t.host(), t.port(), queueSize, batch, nativeMode));
            } else {
                Path dir = spoolDir == null
                        ? null
                        : spoolDir.resolve(safe(name) + "-" + t.proto() + "-" + safe(t.host()) + "-" + t.port());
                collectors.add(new StreamConfig(
                        t.proto(),
                        t.host(),
                        t.port(),
                        queueSize,
                        connectTimeout,
                        reconnectMin,
                        reconnectMax,
                        keepalive,
                        sendBuffer,
                        dir,
                        spoolMax,
                        t.proto().equals("tls") ? security : null));
            }
        }
        return new ProfileSettings(mode, collectors, hep, captureId);
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static StreamSecurityProvider securityProvider(String proto) {
        for (StreamSecurityProvider p :
                ServiceLoader.load(StreamSecurityProvider.class, HepTransportProvider.class.getClassLoader())) {
            if (p.proto().equals(proto)) return p;
        }
        return null;
    }

    /**
     * {@code proto:host:port}, {@code host:port} or {@code host} (the profile's proto and port
     * fill in); IPv6 addresses in brackets. Null when it cannot be read.
     */
    static Target parseTarget(String text, String defaultProto, int defaultPort) {
        String rest = text.trim();
        String proto = defaultProto;
        int colon = rest.indexOf(':');
        if (colon > 0 && !rest.startsWith("[")) {
            String p = rest.substring(0, colon).toLowerCase(Locale.ROOT);
            if (p.equals("udp") || p.equals("tcp") || p.equals("tls")) {
                proto = p;
                rest = rest.substring(colon + 1);
            }
        }
        String host;
        String port = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) return null;
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (after.startsWith(":")) port = after.substring(1);
            else if (!after.isEmpty()) return null;
        } else {
            int last = rest.lastIndexOf(':');
            if (last >= 0 && rest.indexOf(':') != last) return null; // bare IPv6 needs brackets
            host = last < 0 ? rest : rest.substring(0, last);
            if (last >= 0) port = rest.substring(last + 1);
        }
        if (host.isEmpty()) return null;
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                return null;
            }
            if (p < 1 || p > 65535) return null;
        }
        return new Target(proto, host, p);
    }
}
