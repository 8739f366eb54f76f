package org.heptap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** The independent HEP receiver (Node, hep-js) as a child process. */
final class HepSink implements AutoCloseable {
    final int udpPort;
    final Path out;
    private final Proc proc;

    private HepSink(int udpPort, Path out, Proc proc) {
        this.udpPort = udpPort;
        this.out = out;
        this.proc = proc;
    }

    static HepSink startUdp() throws IOException, InterruptedException {
        return startUdp(UnaryOperator.identity(), Env.freeUdpPort());
    }

    /** A UDP sink on 127.0.0.1:PORT inside {@code ns} (where the port is the test's alone). */
    static HepSink startUdp(NetNs ns, int port) throws IOException, InterruptedException {
        return startUdp(ns::command, port);
    }

    private static HepSink startUdp(UnaryOperator<List<String>> where, int port) throws IOException, InterruptedException {
        Path out = Files.createTempFile("hep-sink", ".jsonl");
        Proc p = Proc.start(where.apply(List.of("node", Env.hepSink().toString(), "--udp", "127.0.0.1:" + port,
                "--out", out.toString(), "--max-seconds", "300")));
        waitListening(port, p, "-Hlun", where);
        return new HepSink(port, out, p);
    }

    /** A sink listening on TCP (HEP3 back to back) on the given port, or a free one when 0. */
    static HepSink startTcp(int port) throws IOException, InterruptedException {
        return startTcp(UnaryOperator.identity(), port == 0 ? Env.freeTcpPort() : port);
    }

    /** A TCP sink on 127.0.0.1:PORT inside {@code ns}. */
    static HepSink startTcp(NetNs ns, int port) throws IOException, InterruptedException {
        return startTcp(ns::command, port);
    }

    private static HepSink startTcp(UnaryOperator<List<String>> where, int port) throws IOException, InterruptedException {
        Path out = Files.createTempFile("hep-sink", ".jsonl");
        Proc p = Proc.start(where.apply(List.of("node", Env.hepSink().toString(), "--tcp", "127.0.0.1:" + port,
                "--out", out.toString(), "--max-seconds", "300")));
        waitListening(port, p, "-Hltn", where);
        return new HepSink(port, out, p);
    }

    static void waitListening(int port, Proc p, String ssFlags) throws IOException, InterruptedException {
        waitListening(port, p, ssFlags, UnaryOperator.identity());
    }

    /** As above, with the {@code ss} command run where {@code where} says (e.g. inside a {@link NetNs}). */
    static void waitListening(int port, Proc p, String ssFlags, UnaryOperator<List<String>> where)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.process.isAlive()) throw new AssertionError(p.command + " exited: " + p.stderr());
            Process ss = new ProcessBuilder(where.apply(List.of("ss", ssFlags, "sport = :" + port))).redirectErrorStream(true).start();
            String o = new String(ss.getInputStream().readAllBytes());
            ss.waitFor();
            if (o.contains(":" + port)) return;
            Thread.sleep(100);
        }
        p.close();
        throw new AssertionError(p.command.get(0) + " did not start listening on port " + port);
    }

    /** Stops the sink (it writes its summary line on SIGTERM) and returns the message lines. */
    List<JsonNode> stopAndRead() throws IOException, InterruptedException {
        // give in-flight datagrams a moment to land before asking it to stop
        Thread.sleep(500);
        proc.terminate(Duration.ofSeconds(10));
        return read();
    }

    List<JsonNode> read() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(out)) {
            if (l.isBlank()) continue;
            JsonNode n = Env.JSON.readTree(l);
            if (!n.has("summary")) lines.add(n);
        }
        return lines;
    }

    @Override
    public void close() {
        proc.close();
    }
}
