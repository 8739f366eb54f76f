package org.heptap.rtp;

/**
 * Feeds an {@link RtpStreamTable} that holds early RTP as by default ({@link RtpSettings#defaults})
 * with {@code FLOWS} distinct fabricated flows no SDP ever announces, {@code PACKETS} packets
 * each, as hostile traffic would, then prints one line: {@code held=N held-now=N
 * flows-evicted=N unannounced=N bytes-grown=N}. The heap figure is how much more the table
 * retains after a full GC than when it was made (its places are allocated then). Run in a JVM of its own by {@link RtpStreamTableHeapLimitTest} under the
 * agent's {@code -Xmx64m}.
 *
 * <p>Usage: {@code ManyHeldFlowsMain FLOWS PACKETS}
 */
public final class ManyHeldFlowsMain {
    private ManyHeldFlowsMain() {}

    public static void main(String[] args) {
        int flows = Integer.parseInt(args[0]);
        int packets = Integer.parseInt(args[1]);
        RtpSettings d = RtpSettings.defaults();
        RtpStreamTable table = new RtpStreamTable(d.maxStreams(), d.maxEndpoints(), false, d.pending());
        long before = ManyStreamsMain.retainedHeap();
        RtpHeader h = new RtpHeader();
        byte[] pkt = new byte[172];
        pkt[0] = (byte) 0x80;
        byte[] a = new byte[4];
        byte[] b = new byte[4];
        for (int flow = 0; flow < flows; flow++) {
            ManyStreamsMain.address(a, 2 * flow);
            ManyStreamsMain.address(b, 2 * flow + 1);
            for (int seq = 1; seq <= packets; seq++) {
                ManyStreamsMain.header(pkt, h, seq, flow);
                table.packet(a, b, 4, 10_000 + flow % 50_000, 30_000, h, 1_000L * flow + seq, pkt.length);
            }
        }
        long after = ManyStreamsMain.retainedHeap();
        System.out.println("held=" + table.held() + " held-now=" + table.holding() + " flows-evicted="
                + table.heldFlowEvictions() + " unannounced=" + table.unannounced() + " bytes-grown="
                + (after - before));
        System.out.flush();
        if (table.streams() != 0) throw new AssertionError("nothing was announced");
    }
}
