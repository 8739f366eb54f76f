package org.heptap.core.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.heptap.core.capture.Frame;
import org.heptap.core.capture.PacketSource;
import org.heptap.core.capture.PcapFileSource;
import org.heptap.core.decode.DecodeOptions;
import org.heptap.core.decode.PacketDecoder;
import org.heptap.core.message.Message;
import org.heptap.core.spi.CaptureFilterClause;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * A module's {@link CaptureFilterClause}: does its replay test ({@link CaptureFilterClause#admits})
 * say what its BPF, compiled by libpcap, says, on Ethernet frames whose packet the decoder
 * delivers? (A replay asks the clause about decoded packets only.)
 */
public final class ClauseAgreement {
    private ClauseAgreement() {}

    /** The first 10 frames on which the two disagree, as {@code "#index bpf=.. replay=.."}; empty when none. */
    public static List<String> disagreements(CaptureFilterClause clause, List<byte[]> frames) throws Exception {
        List<String> out = new ArrayList<>();
        PacketDecoder decoder = new PacketDecoder(DecodeOptions.NONE);
        Message m = new Message();
        boolean[] replay = new boolean[1];
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 262144)) {
            BpfProgram prog = dead.compileFilter(
                    clause.bpf(), BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
            try {
                Frame f = new Frame();
                for (int i = 0; i < frames.size(); i++) {
                    byte[] b = frames.get(i);
                    System.arraycopy(b, 0, f.data, 0, b.length);
                    f.length = b.length;
                    f.wireLength = b.length;
                    f.linkType = 1;
                    boolean[] delivered = {false};
                    decoder.decode(f, m, msg -> {
                        delivered[0] = true;
                        replay[0] = clause.admits(msg);
                    });
                    if (!delivered[0]) continue;
                    boolean bpf = prog.applyFilter(b, b.length, b.length);
                    if (bpf != replay[0] && out.size() < 10) out.add("#" + i + " bpf=" + bpf + " replay=" + replay[0]);
                }
            } finally {
                prog.free();
            }
        }
        return out;
    }

    /** The Ethernet frames of a capture in testdata/corpus. */
    public static List<byte[]> corpus(String capture) throws Exception {
        Path file = Path.of(System.getProperty("heptap.testdata", "../testdata"))
                .resolve("corpus")
                .resolve(capture);
        List<byte[]> out = new ArrayList<>();
        try (PcapFileSource src = PcapFileSource.open(file)) {
            Frame f = new Frame();
            while (src.next(f) == PacketSource.PACKET) {
                if (f.linkType == 1) out.add(java.util.Arrays.copyOfRange(f.data, f.offset, f.offset + f.length));
            }
        }
        return out;
    }
}
