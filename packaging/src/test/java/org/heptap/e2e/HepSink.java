package org.heptap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** The independent HEP receiver (Node, hep-js) as a child process. */
final class HepSink implements AutoCloseable {
    /** What {@link #flush()} sends: hep-sink answers it on stderr, and records nothing (see its README). */
    private static final String FLUSH_REQUEST = "hep-sink:flush";

    /** The port hep-sink listens on (UDP or TCP, whichever it was started with). */
    final int udpPort;

    final Path out;
    private final Proc proc;
    private final boolean tcp;
    /** Where the sink runs: here, or inside a {@link NetNs} (its flush request is sent from there too). */
    private final UnaryOperator<List<String>> where;

    private HepSink(int udpPort, Path out, Proc proc, boolean tcp, UnaryOperator<List<String>> where) {
        this.udpPort = udpPort;
        this.out = out;
        this.proc = proc;
        this.tcp = tcp;
        this.where = where;
    }

    static HepSink startUdp() throws Exception {
        return startUdp(UnaryOperator.identity(), Env.freeUdpPort());
    }

    /** A UDP sink on 127.0.0.1:PORT inside {@code ns} (where the port is the test's alone). */
    static HepSink startUdp(NetNs ns, int port) throws Exception {
        return startUdp(ns::command, port);
    }

    private static HepSink startUdp(UnaryOperator<List<String>> where, int port) throws Exception {
        Path out = Scratch.file("hep-sink", ".jsonl");
        Proc p = Proc.start(where.apply(List.of(
                "node",
                Env.hepSink().toString(),
                "--udp",
                "127.0.0.1:" + port,
                "--out",
                out.toString(),
                "--max-seconds",
                "300")));
        waitReady(p, "hep-sink: udp 127.0.0.1:" + port);
        return new HepSink(port, out, p, false, where);
    }

    /** A sink listening on TCP (HEP3 back to back) on the given port, or a free one when 0. */
    static HepSink startTcp(int port) throws Exception {
        return startTcp(UnaryOperator.identity(), port == 0 ? Env.freeTcpPort() : port);
    }

    /** A TCP sink on 127.0.0.1:PORT inside {@code ns}. */
    static HepSink startTcp(NetNs ns, int port) throws Exception {
        return startTcp(ns::command, port);
    }

    private static HepSink startTcp(UnaryOperator<List<String>> where, int port) throws Exception {
        Path out = Scratch.file("hep-sink", ".jsonl");
        Proc p = Proc.start(where.apply(List.of(
                "node",
                Env.hepSink().toString(),
                "--tcp",
                "127.0.0.1:" + port,
                "--out",
                out.toString(),
                "--max-seconds",
                "300")));
        waitReady(p, "hep-sink: tcp 127.0.0.1:" + port);
        return new HepSink(port, out, p, true, where);
    }

    /** hep-sink prints its ready line on stderr once its socket is bound (listening, for TCP). */
    private static void waitReady(Proc p, String readyLine) throws Exception {
        try {
            Await.until(
                    () -> {
                        if (!p.process.isAlive()) throw new AssertionError(p.command + " exited: " + p.stderr());
                        return p.stderr().contains(readyLine);
                    },
                    Duration.ofSeconds(15),
                    "'" + readyLine + "' from " + p.command);
        } catch (AssertionError | Exception e) {
            p.close();
            throw e;
        }
    }

    /** Waits until some process listens on the port ({@code ss} flags: -Hlun for UDP, -Hltn for TCP). */
    static void waitListening(int port, Proc p, String ssFlags) throws Exception {
        waitListening(port, p, ssFlags, UnaryOperator.identity());
    }

    /** As above, with the {@code ss} command run where {@code where} says (e.g. inside a {@link NetNs}). */
    static void waitListening(int port, Proc p, String ssFlags, UnaryOperator<List<String>> where) throws Exception {
        try {
            Await.until(
                    () -> {
                        if (!p.process.isAlive()) throw new AssertionError(p.command + " exited: " + p.stderr());
                        Process ss = new ProcessBuilder(where.apply(List.of("ss", ssFlags, "sport = :" + port)))
                                .redirectErrorStream(true)
                                .start();
                        String o = new String(ss.getInputStream().readAllBytes());
                        ss.waitFor();
                        return o.contains(":" + port);
                    },
                    Duration.ofSeconds(15),
                    p.command.get(0) + " to listen on port " + port);
        } catch (AssertionError | Exception e) {
            p.close();
            throw e;
        }
    }

    /**
     * Stops the sink (it writes its summary line on SIGTERM) and returns the message lines, once
     * everything sent to it before this call has been written out (see {@link #flush()}).
     */
    List<JsonNode> stopAndRead() throws Exception {
        flush();
        proc.terminate(Duration.ofSeconds(10));
        return read();
    }

    /**
     * Stops the sink once it has written {@code expected} messages (or after the timeout, for
     * the caller to see what is missing), and returns them.
     */
    List<JsonNode> stopAndRead(int expected, Duration timeout) throws Exception {
        awaitRecords(expected, timeout);
        return stopAndRead();
    }

    /**
     * Waits until hep-sink has written {@code expected} messages, or for the timeout: the caller's
     * assertions on what did arrive then say more than a timeout would.
     */
    void awaitRecords(int expected, Duration timeout) throws Exception {
        try {
            Await.until(() -> read().size() >= expected, timeout, expected + " messages at hep-sink " + out);
        } catch (AssertionError shortOfMessages) {
            // reported by the caller's assertions
        }
    }

    /**
     * Asks hep-sink to flush and waits for its answer: what was sent to it before is written to
     * {@link #out} by then. Over UDP the request queues behind the datagrams sent before it on
     * the sink's one socket. Over TCP it comes on a connection of its own: the sender's bytes
     * were in the kernel before (the sender usually has exited), and hep-sink reads every ready
     * connection in one turn of its event loop.
     */
    void flush() throws Exception {
        if (!proc.process.isAlive()) return;
        int answered = flushes();
        byte[] request = FLUSH_REQUEST.getBytes(StandardCharsets.US_ASCII);
        if (where != UnaryOperator.<List<String>>identity()) {
            // inside a namespace: the request must come from there
            String send = tcp
                    ? "socket.create_connection(('127.0.0.1', " + udpPort + ")).sendall(b'" + FLUSH_REQUEST + "')"
                    : "socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'" + FLUSH_REQUEST + "', ('127.0.0.1', "
                            + udpPort + "))";
            Proc.run(Duration.ofSeconds(10), where.apply(List.of("python3", "-c", "import socket; " + send)));
        } else if (tcp) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), udpPort)) {
                s.getOutputStream().write(request);
            }
        } else {
            try (DatagramSocket s = new DatagramSocket()) {
                s.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), udpPort));
            }
        }
        Await.until(
                () -> flushes() > answered,
                Duration.ofSeconds(15),
                "hep-sink to answer a flush request: " + proc.stderr());
    }

    private int flushes() {
        return proc.stderr().split("hep-sink: flushed ", -1).length - 1;
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
