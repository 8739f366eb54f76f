package org.heptap.lifecycle;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.ConfigLoader;
import org.heptap.core.config.Problems;
import org.heptap.core.control.Operations;
import org.heptap.core.pipeline.Agent;
import org.heptap.sip.SipParseListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused reload leaves the running agent as it was: every module, transport, socket and
 * thread the refused configuration opened is closed again, and nothing of it stays reachable
 * (the SIP parse path in particular, where a module's listener would run for every packet).
 * Runs in the packaging module, where every module is on the class path as in the agent.
 */
@Timeout(300)
class RefusedReloadTest {
    private static final Logger QUIET = Logger.getLogger("org.heptap");

    @TempDir
    Path dir;

    private Level level;

    @BeforeEach
    void quiet() {
        // a thousand refusals would log a thousand times
        level = QUIET.getLevel();
        QUIET.setLevel(Level.OFF);
    }

    @AfterEach
    void loud() {
        QUIET.setLevel(level);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A configuration file {@code name} with one SIP socket running {@code plan}, the rtcp module and {@code transports}. */
    private Path config(String name, String plan, String transports, String extra) throws IOException {
        Files.writeString(dir.resolve("plan.cfg"), "capture[pcap] { if (parse_sip()) { send_hep(\"hep\"); } }\n");
        Files.writeString(dir.resolve("bad.cfg"), "capture[pcap] { if (parse_sip()) { send_hep(\"nosuch\"); } }\n");
        String yaml = """
                agent:
                  capture-plans: DIR
                sockets:
                  sip:
                    port-range: 5060-5090
                    capture-plan: PLAN
                modules:
                  rtcp:
                    table-size: 1024
                transports:
                TRANSPORTS
                EXTRA
                """.replace("DIR", dir.toString())
                .replace("PLAN", plan)
                .replace("TRANSPORTS", transports.indent(2).stripTrailing())
                .replace("EXTRA", extra);
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    private String tcpWithSpool(String name, int port, Path spool) {
        return name + ":\n  type: hep\n  proto: tcp\n  host: 127.0.0.1\n  port: " + port + "\n  spool:\n    dir: "
                + spool + "\n";
    }

    private static String udp(String name, int port) {
        return name + ":\n  type: hep\n  host: 127.0.0.1\n  port: " + port + "\n";
    }

    private static AgentConfig load(Path file, Problems problems) {
        return new ConfigLoader(false, false, ConfigLoader.Overrides.NONE)
                .load(file, file.getFileName().toString(), problems);
    }

    private static Agent start(Path file) {
        Problems problems = new Problems();
        AgentConfig config = load(file, problems);
        assertNotNull(config, problems.errors()::toString);
        Agent agent = Agent.prepare(config, problems);
        assertNotNull(agent, problems.errors()::toString);
        return agent;
    }

    /** Listeners on the SIP parse path of the configuration in force. */
    private static int sipParseListeners(Agent agent) {
        return SipParseListeners.of(agent.config().context()).count();
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static long threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static List<String> transportThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("hep-"))
                .sorted()
                .toList();
    }

    private static long heapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        // collect until the figure stops falling (bounded): one System.gc() may leave garbage of the last cycle
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = rt.totalMemory() - rt.freeMemory();
            if (now >= used - (64 << 10)) return Math.min(now, used);
            used = now;
        }
        return used;
    }

    /** Waits (bounded) until {@code value} is at most {@code limit}; returns the last reading. */
    private static long settle(LongSupplier value, long limit) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long v = value.getAsLong();
        while (v > limit && System.nanoTime() < deadline) {
            Thread.sleep(20);
            v = value.getAsLong();
        }
        return v;
    }

    private static long openFilesUnchecked() {
        try {
            return openFiles();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void a_thousand_refused_reloads_leave_listeners_threads_files_and_heap_where_they_were() throws Exception {
        int port = closedPort();
        Path good = config("heptap.yaml", "plan.cfg", tcpWithSpool("hep", port, dir.resolve("spool")), "");
        Agent agent = start(good);
        AgentConfig running = agent.config();
        // refused late in the build: modules, transports and sockets are read, then an unknown root key
        Path lateInBuild = config(
                "late.yaml", "plan.cfg", tcpWithSpool("hep", port, dir.resolve("spool")), "no-such-section: 1\n");
        // refused by the agent: the configuration loads, then a plan names a transport it does not have
        Path badPlan = config("plan.yaml", "bad.cfg", tcpWithSpool("hep", port, dir.resolve("spool")), "");
        Path[] next = new Path[1];
        Operations ops = new Operations(agent, p -> load(next[0], p), "test");
        Runnable refuse = () -> {
            for (Path f : new Path[] {lateInBuild, badPlan}) {
                next[0] = f;
                Problems p = ops.reload();
                assertTrue(p.hasErrors(), f + " must be refused");
            }
        };
        for (int i = 0; i < 10; i++) refuse.run(); // warm up: classes loaded, lazy singletons made

        int listeners = sipParseListeners(agent);
        long threads = threads();
        long files = openFiles();
        long heap = heapAfterGc();
        for (int i = 0; i < 500; i++) refuse.run();

        int listenersAfter = sipParseListeners(agent);
        long threadsAfter = settle(RefusedReloadTest::threads, threads);
        long filesAfter = settle(RefusedReloadTest::openFilesUnchecked, files);
        long grown = heapAfterGc() - heap;
        assertAll(
                () -> assertSame(running, agent.config(), "a refused reload changes nothing"),
                () -> assertEquals(listeners, listenersAfter, "SIP parse listeners"),
                () -> assertEquals(threads, threadsAfter, "live threads"),
                () -> assertEquals(files, filesAfter, "open file descriptors"),
                () -> assertTrue(
                        grown < (256 << 10), "heap after GC grew by " + grown + " bytes over 1000 refused reloads"));
    }

    @Test
    void a_reload_that_fails_after_new_transports_started_leaves_no_thread_or_socket() throws Exception {
        int port = closedPort();
        Path good = config("heptap.yaml", "plan.cfg", udp("hep", port), "");
        Agent agent = start(good);
        Path[] next = {good};
        Operations ops = new Operations(agent, p -> load(next[0], p), "test");
        // a reload that works: the running transport is started, as in a running agent
        assertTrue(!ops.reload().hasErrors());
        AgentConfig running = agent.config();
        List<String> transportThreads = transportThreads();
        long files = openFiles();

        // "hep" starts (a thread and a socket), then "spooled" cannot: its spool is a file, not a folder
        Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "");
        next[0] = config("next.yaml", "plan.cfg", udp("hep", port) + tcpWithSpool("spooled", port, notAFolder), "");
        Problems problems = ops.reload();

        assertTrue(
                problems.errors().stream().anyMatch(e -> e.contains("spooled") && e.contains("spool")),
                problems.errors()::toString);
        assertSame(running, agent.config(), "the running configuration stays");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!transportThreads().equals(transportThreads) && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(transportThreads, transportThreads(), "transport threads");
        assertEquals(files, settle(RefusedReloadTest::openFilesUnchecked, files), "open file descriptors");
        agent.shutdown(java.time.Duration.ofSeconds(5));
    }
}
