package org.heptap.rtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.heptap.core.capture.TestCorpus;

/** UDP datagrams of a corpus capture with their addresses and time, decoded by agent-core's real reader and decoder. */
final class CorpusRtp {
    record Datagram(long micros, String srcIp, int srcPort, String dstIp, int dstPort, byte[] payload) {}

    private CorpusRtp() {}

    static List<Datagram> read(String capture) throws Exception {
        List<Datagram> out = new ArrayList<>();
        TestCorpus.decode(
                capture,
                m -> out.add(new Datagram(
                        m.timestampMicros(),
                        m.srcIpText(),
                        m.srcPort(),
                        m.dstIpText(),
                        m.dstPort(),
                        Arrays.copyOfRange(m.payload(), m.payloadOffset(), m.payloadOffset() + m.payloadLength()))));
        return out;
    }
}
