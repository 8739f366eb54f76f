package org.heptap.hep.relay;

import org.heptap.core.config.CollectorSettings;
import org.heptap.core.spi.CollectorFormat;

/**
 * HEP relay ({@code format: hep} on a collector socket, heplify's {@code -hin}): every received
 * HEP v1/v2/v3 packet, compressed or not, becomes the message the plan sees, with the addresses,
 * ports, IP protocol, time, protocol type, correlation id, VLAN and payload the sender captured.
 * So {@code parse_sip}, {@code msg_check} filters and {@code send_hep} work as on captured traffic
 * and a relayed packet leaves with what it came with. The sender's capture id, password, node name
 * and tags are not carried over: the outgoing profile stamps its own, as for captured traffic.
 *
 * <p>Fields a version does not have keep what the socket set: v1 has no time (arrival time stays),
 * v1/v2 no protocol type (the socket's {@code protocol-type}).
 *
 * <p>A compressed payload inflates within the socket's limits ({@code inflate-per-source},
 * {@code inflate-max-payload}): see {@link HepRelayDecoder}.
 */
public final class HepCollectorFormat implements CollectorFormat {
    @Override
    public String name() {
        return "hep";
    }

    @Override
    public Decoder decoder(CollectorSettings settings) {
        return new HepRelayDecoder(settings.limits());
    }
}
