package org.heptap.rtcp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.PacketSource;
import org.heptap.core.capture.PcapFileSource;
import org.heptap.core.capture.ReplayPacer;
import org.heptap.core.capture.TestCorpus;
import org.heptap.core.decode.PacketDecoder;

/** UDP payloads of a corpus capture, decoded by agent-core's real reader and decoder. */
final class CorpusRtcp {
    record Datagram(int frame, int srcPort, int dstPort, byte[] payload) {}

    private CorpusRtcp() {}

    static List<Datagram> read(String capture) throws Exception {
        Path file = TestCorpus.file(capture);
        List<Datagram> out = new ArrayList<>();
        PacketDecoder decoder = new PacketDecoder();
        org.heptap.core.message.Message message = new org.heptap.core.message.Message();
        int[] n = {0};
        try (PcapFileSource src = PcapFileSource.open(file, ReplayPacer.parse("max"))) {
            Frame f = new Frame();
            while (true) {
                int r = src.next(f);
                if (r == PacketSource.END) break;
                if (r != PacketSource.PACKET) continue;
                n[0]++;
                decoder.decode(f, message, m -> out.add(new Datagram(n[0], m.srcPort(), m.dstPort(),
                        Arrays.copyOfRange(m.payload(), m.payloadOffset(), m.payloadOffset() + m.payloadLength()))));
            }
        }
        return out;
    }

    static byte[] hex(String s) {
        s = s.replaceAll("[^0-9a-fA-F]", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
