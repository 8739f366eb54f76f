package org.heptap.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.heptap.core.capture.ReplayPacer;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.Problems;
import org.heptap.core.log.LogSetup;
import org.heptap.core.pipeline.Agent;

/**
 * Live capture's warm-up ({@code agent.warm-up}): once the capture handles are open and before
 * they are read (what arrives meanwhile waits in the kernel's capture buffer), replays the bundled
 * sample call a few hundred times through a throwaway quick configuration of its own - its own
 * modules, tables and counters, closed after - sending to a loopback socket nobody reads, so that
 * the JIT has compiled the packet path (decode, SIP parse, plan, HEP encode, send) before the first
 * captured packet is handled. Without it the first second of traffic runs in the interpreter while
 * the compiler takes the same core, and an agent (re)started under load loses packets in the
 * kernel ring (bench/live.sh at top speed on lo: cold starts lost 0-21 %, warmed up 0-1 %). The
 * running configuration is not touched: nothing of the rehearsal reaches its collectors or its
 * counters.
 */
final class WarmUp {
    /** Passes over the sample (7 frames): enough for the compiler's thresholds on the hot path. */
    static final long PASSES = 300;

    private WarmUp() {}

    /** The sample call bin/heptap and the package install beside the configuration. */
    static Path sample() {
        String home = System.getProperty("heptap.home");
        return Path.of(home != null ? home : ".", "conf", "samples", "sample-call.pcap");
    }

    /**
     * Rehearses {@code passes} times on {@code sample}, quietly (the agent's log level is raised to
     * warnings meanwhile and put back). Returns what to log: how long it took, or why it did not run.
     */
    static String run(Path sample, long passes) {
        if (!Files.isReadable(sample)) return "skipped: no sample call at " + sample;
        return LogSetup.quietly(() -> rehearse(sample, passes));
    }

    private static String rehearse(Path sample, long passes) {
        long started = System.nanoTime();
        CommandLine cl = null;
        try (DatagramChannel sink = DatagramChannel.open()) {
            sink.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) sink.getLocalAddress()).getPort();
            cl = CommandLine.parse(new String[] {"-r", sample.toString(), "-H", "udp:127.0.0.1:" + port});
            Problems problems = new Problems();
            AgentConfig config = Main.loadConfig(cl, problems);
            Agent agent = config == null || problems.hasErrors() ? null : Agent.prepare(config, problems);
            if (agent == null) {
                if (config != null) config.close();
                return "skipped: the rehearsal configuration did not build " + problems.errors();
            }
            String damage;
            try {
                damage = agent.runFile(sample, () -> ReplayPacer.parse("max", null), passes);
            } finally {
                agent.shutdown(Duration.ofSeconds(2));
            }
            if (damage != null) return "incomplete: the sample is damaged: " + damage;
            // the send path ran too: something reached the socket nobody else reads
            sink.configureBlocking(false);
            if (sink.receive(ByteBuffer.allocate(65_536)) == null)
                return "incomplete: nothing reached the rehearsal's loopback socket 127.0.0.1:" + port;
        } catch (IOException | CommandLine.UsageException | RuntimeException e) {
            return "skipped: " + e;
        } finally {
            // its quick plans go now, not at the JVM's exit (a killed agent would leave them)
            if (cl != null) cl.quick.removePlans();
        }
        return "replayed the sample call " + passes + " times in " + (System.nanoTime() - started) / 1_000_000
                + " ms, so the packet path is compiled before capture starts (agent.warm-up)";
    }
}
