package org.heptap.rtcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.heptap.core.capture.TestCorpus;

/** UDP payloads of a corpus capture, decoded by agent-core's real reader and decoder. */
final class CorpusRtcp {
    record Datagram(int frame, int srcPort, int dstPort, byte[] payload) {}

    private CorpusRtcp() {}

    static List<Datagram> read(String capture) throws Exception {
        List<Datagram> out = new ArrayList<>();
        int[] n = {0};
        TestCorpus.decode(
                capture,
                m -> out.add(new Datagram(
                        ++n[0],
                        m.srcPort(),
                        m.dstPort(),
                        Arrays.copyOfRange(m.payload(), m.payloadOffset(), m.payloadOffset() + m.payloadLength()))));
        return out;
    }

    static byte[] hex(String s) {
        s = s.replaceAll("[^0-9a-fA-F]", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
