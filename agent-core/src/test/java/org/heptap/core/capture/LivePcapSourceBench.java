package org.heptap.core.capture;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.pcap4j.core.Pcaps;

/**
 * Read cost and loss of live capture; not part of the normal run. Needs root, tcpreplay and a file
 * of SIP frames:
 *
 * <pre>
 * testdata/tools/make-bench-pcap --calls 20000 --out target/b.pcap
 * tcpdump -r target/b.pcap -w target/sip.pcap 'udp port 5060'
 * mvn -o -pl agent-core test -Dtest=LivePcapSourceBench -Dheptap.test.excludedGroups= \
 *     -Dheptap.bench.pcap=$PWD/agent-core/target/sip.pcap \
 *     [-Dheptap.bench.replay=--topspeed|--pps=100000] [-Dheptap.bench.rounds=3] [-Dheptap.bench.pcap4j=true]
 *     [-Dheptap.bench.immediate=false] [-Dheptap.bench.snaplen=1600] [-Dheptap.bench.buffer=BYTES]
 * </pre>
 *
 * Injects on {@code lo} only. The kernel counts each replayed frame twice there (sent, then
 * received), and libpcap skips the outgoing copy, so a loss-free read returns exactly what
 * tcpreplay sent.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "heptap.bench.pcap", matches = ".+")
class LivePcapSourceBench {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static Path pcap() {
        return Path.of(System.getProperty("heptap.bench.pcap"));
    }

    /** Reads the whole file through an offline handle: the same pcap_next_ex path, without the kernel. */
    @Test
    void per_packet_cost_offline() throws Exception {
        for (boolean direct : new boolean[] {true, false}) {
            for (int round = 0; round < 6; round++) {
                try (LivePcapSource src = new LivePcapSource(Pcaps.openOffline(pcap().toString()), "offline", direct)) {
                    Frame f = new Frame();
                    long n = 0;
                    long a0 = THREADS.getCurrentThreadAllocatedBytes();
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    while (src.next(f) == PacketSource.PACKET) n++;
                    long t1 = System.nanoTime();
                    long c1 = THREADS.getCurrentThreadCpuTime();
                    long a1 = THREADS.getCurrentThreadAllocatedBytes();
                    System.out.printf(
                            "offline round %d (%s): %d frames, %.3f us/frame wall, %.3f us/frame CPU,"
                                    + " %.1f B garbage/frame%n",
                            round,
                            describeRead(src),
                            n,
                            (t1 - t0) / 1000.0 / n,
                            (c1 - c0) / 1000.0 / n,
                            (double) (a1 - a0) / n);
                }
            }
        }
    }

    @Test
    void loss_on_lo_under_tcpreplay() throws Exception {
        String replay = System.getProperty("heptap.bench.replay", "--topspeed");
        int rounds = Integer.getInteger("heptap.bench.rounds", 1);
        for (int round = 0; round < rounds; round++) {
            replayRound(replay, round);
            Thread.sleep(1000);
        }
    }

    private static void replayRound(String replay, int round) throws Exception {
        // the agent's defaults for a socket (ConfigLoader): promiscuous, 32 MiB, immediate, 100 ms
        LivePcapSource.Options o = LivePcapSource.Options.forDevice("lo")
                .withPromiscuous(true)
                .withBufferBytes(Integer.getInteger("heptap.bench.buffer", 32 << 20))
                .withSnaplen(Integer.getInteger("heptap.bench.snaplen", 65535))
                .withImmediate(Boolean.parseBoolean(System.getProperty("heptap.bench.immediate", "true")))
                .withTimeoutMillis(100)
                .withFilter("udp port 5060");
        LivePcapSource src = LivePcapSource.open(o, !Boolean.getBoolean("heptap.bench.pcap4j"));
        AtomicLong packets = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        AtomicLong allocated = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(
                () -> {
                    Frame f = new Frame();
                    long n = 0;
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    long a0 = THREADS.getCurrentThreadAllocatedBytes();
                    try {
                        int r;
                        while ((r = src.next(f)) != PacketSource.END) {
                            if (r == PacketSource.PACKET) n++;
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                    cpuNanos.set(THREADS.getCurrentThreadCpuTime() - c0);
                    allocated.set(THREADS.getCurrentThreadAllocatedBytes() - a0);
                    packets.set(n);
                },
                "bench-capture");
        reader.start();
        Thread.sleep(500);
        Process p = new ProcessBuilder("tcpreplay", "-i", "lo", replay, pcap().toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        Thread.sleep(1000); // let the reader drain the kernel buffer
        CaptureStats stats = src.stats();
        src.close();
        reader.join(5000);
        long sent = 0;
        for (String line : out.split("\n")) {
            line = line.trim();
            if (line.startsWith("Actual:")) sent = Long.parseLong(line.split("\\s+")[1]);
            if (line.startsWith("Actual:") || line.startsWith("Rated:")) System.out.println("  tcpreplay " + line);
        }
        if (rc != 0) System.out.println(out);
        long n = packets.get();
        System.out.printf(
                "replay %s round %d (%s, immediate %s, snaplen %d, buffer %d): sent %d, read %d (loss %.1f%%), kernel received %d dropped %d"
                        + " (%.1f%%), if-dropped %d; reader CPU %.3f us/packet, %.1f B garbage/packet%s%n",
                replay,
                round,
                describeRead(src),
                o.immediate(),
                o.snaplen(),
                o.bufferBytes(),
                sent,
                n,
                100.0 - 100.0 * n / Math.max(1, sent),
                stats.received(),
                stats.dropped(),
                100.0 * stats.dropped() / Math.max(1, stats.received()),
                stats.ifDropped(),
                cpuNanos.get() / 1000.0 / Math.max(1, n),
                (double) allocated.get() / Math.max(1, n),
                failure.get() == null ? "" : "; FAILED " + failure.get());
    }

    private static String describeRead(LivePcapSource src) {
        return src.readsDirect() ? "direct" : "pcap4j";
    }
}
