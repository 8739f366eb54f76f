package org.heptap.hep.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.heptap.core.message.IpText;

/**
 * One decoded HEP packet (any version). Absent optional chunks are null (strings), -1 (VLAN,
 * protocol type) or empty; {@code chunks} lists the v3 chunk ids in wire order as
 * {@code vendor << 16 | type} (empty for v1/v2).
 *
 * @param family    address family byte as sent (2, 10, or another OS's AF_INET6)
 * @param ipVersion 4 or 6, from the address length
 * @param payload   captured payload, inflated when it came compressed
 */
public record HepPacket(
        int version,
        int family,
        int ipVersion,
        int ipProtocol,
        byte[] srcAddr,
        byte[] dstAddr,
        int srcPort,
        int dstPort,
        long timeSeconds,
        long timeMicros,
        int protocolType,
        long captureId,
        String password,
        String correlationId,
        String tags,
        String nodeName,
        int vlan,
        byte[] payload,
        boolean compressed,
        List<Integer> chunks) {

    public String srcIp() {
        return IpText.format(srcAddr, ipVersion);
    }

    public String dstIp() {
        return IpText.format(dstAddr, ipVersion);
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public long timestampMicros() {
        return timeSeconds * 1_000_000L + timeMicros;
    }
}
