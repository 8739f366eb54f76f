import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.heptap.rtp.PayloadTypes;
import org.heptap.rtp.RtpHeader;
import org.heptap.rtp.RtpHeaderParser;
import org.heptap.rtp.RtpResult;
import org.heptap.rtp.RtpStreamTable;

/**
 * module-rtp alone, without the agent: the per-packet work of RTP analysis (header parse, stream
 * lookup, statistics) over the frames of a make-bench-pcap --rtp-calls file held in memory.
 * Every round replays the whole file into a fresh table (SIP frames announce their SDP's media
 * endpoints, a few lines of harness code, not the SIP parser); the figure is the capture
 * thread's CPU time per RTP packet over the rounds after the first (JIT warm-up).
 *
 *   java -XX:TieredStopAtLevel=1 -cp module-rtp/target/classes:module-sip/target/classes:agent-core/target/classes \
 *        bench/RtpModuleBench.java target/bench/rtp-10s.pcap [ROUNDS]
 */
public class RtpModuleBench {
    public static void main(String[] args) throws IOException {
        byte[] f = Files.readAllBytes(Path.of(args[0]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        // index the frames: UDP payload offset/length, IPv4 header offset, arrival µs
        int n = 0;
        for (int p = 24; p + 16 <= f.length; p += 16 + le(f, p + 8)) n++;
        int[] ip = new int[n], pay = new int[n], len = new int[n];
        long[] micros = new long[n];
        int i = 0;
        for (int p = 24; p + 16 <= f.length; p += 16 + le(f, p + 8), i++) {
            micros[i] = (le(f, p) & 0xffffffffL) * 1_000_000L + le(f, p + 4);
            ip[i] = p + 16 + 14;
            int ihl = (f[ip[i]] & 0x0f) * 4;
            pay[i] = ip[i] + ihl + 8;
            len[i] = u16(f, ip[i] + ihl + 4) - 8;
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        RtpHeader h = new RtpHeader();
        byte[] src = new byte[4], dst = new byte[4];
        long rtp = 0;
        long cpu = 0;
        RtpStreamTable t = null;
        for (int r = 0; r < rounds; r++) {
            t = new RtpStreamTable(20_000, 20_000);
            long c0 = mx.getCurrentThreadCpuTime();
            long packets = 0;
            for (i = 0; i < n; i++) {
                int ihl = (f[ip[i]] & 0x0f) * 4;
                int sport = u16(f, ip[i] + ihl), dport = u16(f, ip[i] + ihl + 2);
                if (sport == 5060) {
                    announce(f, pay[i], len[i], t);
                    continue;
                }
                if (RtpHeaderParser.parse(f, pay[i], len[i], h) != RtpResult.RTP) continue;
                System.arraycopy(f, ip[i] + 12, src, 0, 4);
                System.arraycopy(f, ip[i] + 16, dst, 0, 4);
                t.packet(src, dst, 4, sport, dport, h, micros[i], len[i]);
                packets++;
            }
            long c = mx.getCurrentThreadCpuTime() - c0;
            System.out.printf("round %d: %d RTP packets, %d streams, %.1f ns CPU/packet%n", r, packets, t.streams(), (double) c / packets);
            if (r > 0) {
                cpu += c;
                rtp += packets;
            }
        }
        System.out.printf("after warm-up: %.1f ns CPU per RTP packet (%,.0f RTP packets per CPU-second); unannounced %d%n",
                (double) cpu / rtp, rtp * 1e9 / cpu, t.unannounced());
    }

    /** The SDP of an INVITE or 200 OK: its c= address and m=audio port, with the Call-ID. */
    private static void announce(byte[] f, int off, int len, RtpStreamTable t) {
        String msg = new String(f, off, len, StandardCharsets.ISO_8859_1);
        int body = msg.indexOf("\r\n\r\n");
        int c = msg.indexOf("\r\nc=IN IP4 ", body);
        int m = msg.indexOf("\r\nm=audio ", body);
        if (body < 0 || c < 0 || m < 0) return;
        String[] a = msg.substring(c + 11, msg.indexOf("\r\n", c + 2)).split("\\.");
        byte[] addr = new byte[4];
        for (int k = 0; k < 4; k++) addr[k] = (byte) Integer.parseInt(a[k]);
        int port = Integer.parseInt(msg.substring(m + 10, msg.indexOf(' ', m + 10)));
        int cid = msg.indexOf("\r\nCall-ID: ");
        String callId = msg.substring(cid + 11, msg.indexOf("\r\n", cid + 2));
        t.announce(addr, 0, 4, port, PayloadTypes.fromSdp(f, off + body + 4, len - body - 4), callId);
    }

    private static int le(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
    }
}
