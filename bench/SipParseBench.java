import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.heptap.sip.HeaderName;
import org.heptap.sip.SipMessage;
import org.heptap.sip.SipParser;

/**
 * module-sip alone, without the agent: what the stock SIP plan asks of the parser per message
 * (parse_sip: the header walk, the SDP of offers and answers; send_rtpstat: a look for each of
 * the four end-of-call statistics headers), over the first 20,000 SIP payloads (UDP port 5060)
 * of a make-bench-pcap file held in memory. The figure is this thread's CPU time (not wall time:
 * the machine is shared) per message, for each round after the first two (JIT warm-up), and
 * their median. Run it with the agent's JIT (C1 only) and with the classes to compare one after
 * the other, e.g. an older build's module-sip jar against module-sip/target/classes:
 *
 *   java -XX:TieredStopAtLevel=1 -cp module-sip/target/classes:agent-core/target/classes \
 *        bench/SipParseBench.java target/bench/bench-20k.pcap [ROUNDS]
 */
public class SipParseBench {
    private static final String[] STAT_HEADERS = {"X-RTP-Stat", "P-RTP-Stat", "RTP-RxStat", "RTP-TxStat"};

    public static void main(String[] args) throws IOException {
        byte[] f = Files.readAllBytes(Path.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int[] off = new int[20_000];
        int[] len = new int[off.length];
        int n = 0;
        long bytes = 0;
        for (int p = 24; p + 16 <= f.length && n < off.length; p += 16 + le(f, p + 8)) {
            int fr = p + 16;
            if (be16(f, fr + 12) != 0x0800 || f[fr + 23] != 17) continue; // IPv4 UDP only
            int l4 = fr + 14 + (f[fr + 14] & 15) * 4;
            if (be16(f, l4) != 5060 && be16(f, l4 + 2) != 5060) continue;
            off[n] = l4 + 8;
            len[n] = fr + le(f, p + 8) - off[n];
            bytes += len[n++];
        }
        SipParser parser = new SipParser();
        SipMessage m = new SipMessage();
        HeaderName[] stats = new HeaderName[STAT_HEADERS.length];
        for (int i = 0; i < stats.length; i++) stats[i] = HeaderName.of(STAT_HEADERS[i]);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long check = 0;
        long[] ns = new long[Math.max(0, rounds - 2)];
        for (int r = 0; r < rounds; r++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                parser.parse(f, off[i], len[i], m);
                for (HeaderName h : stats) check += m.findHeader(h, 0);
                if (m.hasSdp()) check += m.sdp().mediaCount();
            }
            long t = cpu.getCurrentThreadCpuTime() - t0;
            if (r >= 2) ns[r - 2] = t / n;
        }
        Arrays.sort(ns);
        System.out.printf(
                "%d SIP messages (%d bytes on average): median %d ns CPU per message, rounds %s (check %d)%n",
                n, bytes / Math.max(1, n), ns.length == 0 ? 0 : ns[ns.length / 2], Arrays.toString(ns), check);
    }

    private static int le(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    private static int be16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }
}
