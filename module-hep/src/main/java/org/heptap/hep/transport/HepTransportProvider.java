package org.heptap.hep.transport;

import io.netty.channel.epoll.Epoll;
import java.util.Locale;
import java.util.Map;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.Transport;
import org.heptap.core.spi.TransportProvider;
import org.heptap.hep.codec.HepSettings;
import org.heptap.hep.transport.HepTransportConfig.NativeMode;

/**
 * Reads a {@code type: hep} transport profile:
 *
 * <pre>
 * transports:
 *   hepsocket:
 *     type: hep
 *     host: 127.0.0.1     # collector; name or IPv4/IPv6 address, resolved at start
 *     port: 9060
 *     proto: udp          # tcp and tls are not available yet
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
        HepTransportConfig config = read(profile, agent);
        profile.finish();
        if (config == null || profile.problems().errors().size() > errorsBefore) return null;
        return new HepTransport(name, config, agent.offline());
    }

    /** transport_hep.xml names operators bring along from captagent, and heptap's key for each. */
    private static final Map<String, String> CAPTAGENT_KEYS = Map.of(
            "capture-host", "host",
            "capture-port", "port",
            "capture-proto", "proto",
            "capture-password", "password",
            "payload-compression", "compress",
            "udp-bind-host", "(none: the socket binds to any address)",
            "udp-bind-port", "(none: the source port is ephemeral)");

    /** The validated profile, or null after reporting its errors through {@code profile}. */
    static HepTransportConfig read(ConfigNode profile, AgentContext agent) {
        int errorsBefore = profile.problems().errors().size();
        for (Map.Entry<String, String> k : CAPTAGENT_KEYS.entrySet()) {
            if (profile.has(k.getKey())) {
                profile.child(k.getKey()).error("unknown key: this is captagent's name; heptap's is " + k.getValue());
            }
        }

        String host = profile.string("host", HepTransportConfig.DEFAULT_HOST).trim();
        if (host.isEmpty()) profile.child("host").error("must name the collector (a host name or an address)");
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = profile.port("port", HepTransportConfig.DEFAULT_PORT);

        String proto = profile.oneOf("proto", "udp", "udp", "tcp", "tls");
        if (!proto.equals("udp")) {
            profile.child("proto").error(proto + " is not available yet: HEP is sent over udp only for now");
        }

        int version = (int) profile.integer("version", 3, 1, 3);
        long captureId = profile.integer("capture-id", agent.nodeId(), 0, 0xffffffffL);
        if (captureId < 0 || captureId > 0xffffffffL) {
            profile.error("capture-id: the default agent node id " + captureId + " does not fit in 32 bits; set capture-id");
            captureId = 0;
        }
        if (version == 2 && captureId > 0xffff) {
            ConfigNode at = profile.has("capture-id") ? profile.child("capture-id") : profile;
            at.warning("capture-id " + captureId + " is sent as " + (captureId & 0xffff) + " (HEP v2 carries 16 bits)");
        }
        String password = profile.string("password", null);
        String nodeName = profile.string("node-name", agent.nodeName());

        boolean compress = profile.bool("compress", false);
        if (compress && version != 3) {
            profile.child("compress").error("needs version 3 (HEP v" + version + " has no compressed payload chunk)");
            compress = false;
        }

        int queueSize = (int) profile.integer("queue-size", HepTransportConfig.DEFAULT_QUEUE_SIZE, 2, 1 << 24);
        boolean batch = profile.bool("batch", true);
        NativeMode nativeMode = NativeMode.valueOf(
                profile.oneOf("native", "auto", "auto", "true", "false").toUpperCase(Locale.ROOT));
        if (nativeMode == NativeMode.TRUE && !Epoll.isAvailable()) {
            Throwable cause = Epoll.unavailabilityCause();
            profile.child("native").error("true, but Netty's epoll transport is not available here"
                    + (cause == null ? "" : " (" + cause.getMessage() + ")") + "; use auto or false");
        }

        if (profile.problems().errors().size() > errorsBefore) return null;
        HepSettings hep = new HepSettings(version, captureId, password, nodeName, compress);
        return new HepTransportConfig(host, port, hep, queueSize, batch, nativeMode);
    }
}
