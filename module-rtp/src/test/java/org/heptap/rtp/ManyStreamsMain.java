package org.heptap.rtp;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;

/**
 * Feeds an {@link RtpStreamTable} of {@code LIMIT} streams (and as many endpoints) with {@code
 * STREAMS} distinct fabricated streams, as calls of two announced endpoints and two directions
 * with their own SDP payload types and Call-ID, three packets per stream, then prints one line:
 * {@code streams=N endpoints=N evictions=N endpoint-evictions=N bytes-per-stream=N}. The heap
 * figure is what the filled table retains after a full GC, over its limit. Run in a JVM of its own
 * by {@link RtpStreamTableHeapLimitTest} under the agent's {@code -Xmx64m}.
 *
 * <p>Usage: {@code ManyStreamsMain STREAMS LIMIT}
 */
public final class ManyStreamsMain {
    private ManyStreamsMain() {}

    public static void main(String[] args) {
        int streams = Integer.parseInt(args[0]);
        int limit = Integer.parseInt(args[1]);
        long before = retainedHeap();
        RtpStreamTable table = new RtpStreamTable(limit, limit);
        RtpHeader h = new RtpHeader();
        byte[] pkt = new byte[172];
        pkt[0] = (byte) 0x80;
        byte[] a = new byte[4];
        byte[] b = new byte[4];
        for (int call = 0; call < streams / 2; call++) {
            address(a, 2 * call);
            address(b, 2 * call + 1);
            int portA = 10_000 + 2 * (call % 10_000);
            int portB = 30_000 + 2 * (call % 10_000);
            String callId = "many-" + call + "@192.0.2.1";
            byte[] sdp = ("v=0\r\nm=audio " + portA + " RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\n"
                            + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            table.announce(a, 0, 4, portA, PayloadTypes.fromSdp(sdp, 0, sdp.length), callId);
            table.announce(b, 0, 4, portB, PayloadTypes.fromSdp(sdp, 0, sdp.length), callId);
            for (int seq = 1; seq <= 3; seq++) {
                long micros = 20_000L * seq;
                table.packet(a, b, 4, portA, portB, header(pkt, h, seq, 2L * call), micros, pkt.length);
                table.packet(b, a, 4, portB, portA, header(pkt, h, seq, 2L * call + 1), micros, pkt.length);
            }
        }
        long after = retainedHeap();
        System.out.println("streams=" + table.streams() + " endpoints=" + table.endpoints() + " evictions="
                + table.evictions() + " endpoint-evictions=" + table.endpointEvictions() + " bytes-per-stream="
                + (after - before) / limit);
    }

    /** 10.0.0.0/8 then 11.0.0.0/8: distinct for the first 2^25 values. */
    static void address(byte[] out, int n) {
        out[0] = (byte) (10 + (n >>> 24));
        out[1] = (byte) (n >>> 16);
        out[2] = (byte) (n >>> 8);
        out[3] = (byte) n;
    }

    static RtpHeader header(byte[] pkt, RtpHeader h, int seq, long ssrc) {
        long ts = 160L * seq;
        pkt[2] = (byte) (seq >> 8);
        pkt[3] = (byte) seq;
        pkt[6] = (byte) (ts >> 8);
        pkt[7] = (byte) ts;
        pkt[8] = (byte) (ssrc >> 24);
        pkt[9] = (byte) (ssrc >> 16);
        pkt[10] = (byte) (ssrc >> 8);
        pkt[11] = (byte) ssrc;
        if (RtpHeaderParser.parse(pkt, 0, pkt.length, h) != RtpResult.RTP) throw new IllegalStateException();
        return h;
    }

    static long retainedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
