package org.heptap.hep.json;

import org.heptap.core.config.ConfigNode;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.Transport;
import org.heptap.core.spi.TransportProvider;
import org.heptap.hep.transport.HepTransportProvider;
import org.heptap.hep.transport.HepTransportProvider.ProfileSettings;

/**
 * Reads a {@code type: json} transport profile (captagent's output_json.xml):
 *
 * <pre>
 * transports:
 *   jsonsocket:
 *     type: json
 *     host: 127.0.0.1      # collector (or collectors: [tcp:a:9070, udp:b:9070] and mode:)
 *     port: 9070
 *     proto: udp           # udp: one document per datagram; tcp: one document per line
 *     capture-id: 2001     # the capt_id key; default agent.node-id
 *     payload-send: true   # false leaves the payload key out
 *     # queue-size, batch, native, connect-timeout, reconnect-min/max, keepalive, send-buffer,
 *     # tls: as for type: hep. HEP keys (version, password, node-name, compress) and spool are errors.
 * </pre>
 */
public final class JsonTransportProvider implements TransportProvider {
    @Override
    public String type() {
        return "json";
    }

    @Override
    public Transport create(String name, ConfigNode profile, AgentContext agent) {
        int errorsBefore = profile.problems().errors().size();
        ProfileSettings ps = HepTransportProvider.readProfile(name, profile, agent, true);
        boolean payloadSend = profile.bool("payload-send", true);
        profile.finish();
        if (ps == null || profile.problems().errors().size() > errorsBefore) return null;
        JsonSettings settings = new JsonSettings(ps.captureId(), payloadSend, agent.fieldWriters());
        return new JsonTransport(HepTransportProvider.collectors(name, ps, new JsonFormat(settings), agent), settings);
    }
}
