package org.heptap.hep.relay;

import java.nio.charset.StandardCharsets;
import org.heptap.core.config.CollectorSettings;
import org.heptap.core.message.Message;
import org.heptap.core.spi.CollectorFormat;
import org.heptap.hep.codec.HepDecodeResult;
import org.heptap.hep.codec.HepDecoder;
import org.heptap.hep.codec.HepPacket;

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
 */
public final class HepCollectorFormat implements CollectorFormat {
    @Override
    public String name() {
        return "hep";
    }

    @Override
    public Decoder decoder(CollectorSettings settings) {
        HepDecoder hep = new HepDecoder();
        return (buf, off, len, m) -> {
            HepDecodeResult r = hep.decode(buf, off, len);
            if (!r.ok()) return r.status() + ": " + r.detail();
            HepPacket p = r.packet();
            m.setAddresses(p.ipVersion(), p.srcAddr(), 0, p.dstAddr(), 0);
            m.setPorts(p.srcPort(), p.dstPort());
            if (p.ipProtocol() != 0) m.setIpProtocol(p.ipProtocol());
            if (p.version() >= 2 && (p.timeSeconds() != 0 || p.timeMicros() != 0)) m.setTimestampMicros(p.timestampMicros());
            if (p.protocolType() >= 0) m.setProtocolType(p.protocolType());
            if (p.vlan() >= 0) m.setVlan(p.vlan());
            if (p.correlationId() != null && !p.correlationId().isEmpty()) {
                byte[] c = p.correlationId().getBytes(StandardCharsets.UTF_8);
                m.setCorrelationId(c, 0, c.length);
            }
            m.setPayload(p.payload(), 0, p.payload().length);
            return null;
        };
    }
}
