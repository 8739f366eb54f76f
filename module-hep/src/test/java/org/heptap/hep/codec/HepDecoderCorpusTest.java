package org.heptap.hep.codec;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.heptap.hep.Shared;
import org.junit.jupiter.api.Test;

/** HEP3 written by other software: corpus/hep.pcap (sipcapture/hep-wireshark), 8 packets to port 9060. */
class HepDecoderCorpusTest {
    /** UDP payloads of an Ethernet/IPv4 classic pcap (enough for this capture). */
    static List<byte[]> udpPayloads(Path pcap) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt(0), "little-endian microsecond pcap");
        List<byte[]> out = new ArrayList<>();
        int off = 24;
        while (off + 16 <= b.limit()) {
            int incl = b.getInt(off + 8);
            int frame = off + 16;
            int ihl = (b.get(frame + 14) & 0x0f) * 4;
            int udp = frame + 14 + ihl;
            int udpLen = (b.get(udp + 4) & 0xff) << 8 | (b.get(udp + 5) & 0xff);
            byte[] payload = new byte[udpLen - 8];
            b.get(udp + 8, payload);
            out.add(payload);
            off = frame + incl;
        }
        return out;
    }

    @Test
    void decodesEveryPacketOfHepPcap() throws IOException {
        Path pcap = Shared.dir().resolve("corpus/hep.pcap");
        // the corpus is part of the repository (testdata/): missing, it is a broken checkout, not a reason to skip
        assertTrue(Files.exists(pcap), "corpus not found at " + pcap);
        Map<Integer, Integer> byType = new TreeMap<>();
        try (HepDecoder d = new HepDecoder()) {
            for (byte[] datagram : udpPayloads(pcap)) {
                HepDecodeResult r = d.decode(datagram);
                assertTrue(r.ok(), r.status() + " " + r.detail());
                assertEquals(datagram.length, r.length());
                HepPacket p = r.packet();
                assertEquals(3, p.version());
                assertTrue(p.payload().length > 0);
                byType.merge(p.protocolType(), 1, Integer::sum);
                if (p.protocolType() == 1) {
                    String sip = p.payloadText();
                    assertTrue(sip.contains("SIP/2.0"), sip);
                }
            }
        }
        // MANIFEST.json: proto_types {"1": 6, "100": 1, "5": 1}
        assertEquals(Map.of(1, 6, 5, 1, 100, 1), byType);
    }
}
