package org.heptap.core.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.heptap.core.config.SocketSettings;
import org.heptap.core.decode.DecodeResult;
import org.heptap.core.message.Message;
import org.heptap.core.spi.StreamFramer;
import org.heptap.core.testing.TestConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collector sockets on the shared event loop, over loopback: each socket's messages reach its
 * pipeline on the socket's own thread, in order; a slow plan holds its senders back without
 * losing a message or holding up another socket; replies go back over the socket or connection
 * a message came in on.
 */
class CollectorSocketTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private final CollectorEventLoop loop = new CollectorEventLoop();
    private final List<Served> served = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Served s : served) s.stop();
        loop.close();
    }

    @Test
    void a_slow_plan_gets_every_tcp_message_in_order_on_its_own_thread_and_does_not_hold_up_another_socket()
            throws Exception {
        Served slow = serve("slow", "tcp:127.0.0.1:" + freeTcpPort());
        Served quick = serve("quick", "udp:127.0.0.1:" + freeUdpPort());
        slow.pipeline.delayMillis = 2;
        int n = 1000; // far more than the hand-off holds: the connection is paused and resumed
        try (Socket s = new Socket(LOOPBACK, slow.port())) {
            OutputStream out = s.getOutputStream();
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < n; i++) all.append("m-").append(i).append('\n');
            out.write(all.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitTrue(() -> slow.pipeline.payloads.size() >= 10, "the slow plan started");

            try (DatagramSocket d = new DatagramSocket()) {
                d.send(new DatagramPacket(new byte[] {'q'}, 1, LOOPBACK, quick.port()));
            }
            awaitTrue(
                    () -> quick.pipeline.payloads.size() == 1, "the other socket is served while the slow plan works");
            assertTrue(slow.pipeline.payloads.size() < n, "still working: " + slow.pipeline.payloads.size());

            awaitTrue(() -> slow.pipeline.payloads.size() == n, "every message planned");
        }
        for (int i = 0; i < n; i++) assertEquals("m-" + i, slow.pipeline.payloads.get(i));
        assertEquals(Set.of("plan-slow"), slow.pipeline.threads, "one thread, the socket's own");
        Map<String, Long> c = slow.socket.counters();
        assertEquals(n, c.get("collector-stream-messages"));
        assertEquals(0, c.get("collector-handoff-dropped"));
        assertEquals(0, c.get("collector-connections-oversize"));
    }

    @Test
    void replies_go_back_over_the_connection_or_to_the_datagrams_sender() throws Exception {
        int tcpPort = freeTcpPort();
        int udpPort = freeUdpPort();
        Served echo = serve("echo", "tcp:127.0.0.1:" + tcpPort, "udp:127.0.0.1:" + udpPort);
        echo.pipeline.reply = true;
        try (Socket s = new Socket(LOOPBACK, tcpPort)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("one\ntwo\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("re:one", in.readLine());
            assertEquals("re:two", in.readLine());
        }
        try (DatagramSocket d = new DatagramSocket()) {
            d.setSoTimeout(10_000);
            d.send(new DatagramPacket("ping".getBytes(StandardCharsets.US_ASCII), 4, LOOPBACK, udpPort));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            d.receive(p);
            assertEquals("re:ping\n", new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
        }
        awaitTrue(() -> echo.socket.counters().get("collector-replies") == 3, "three replies counted");
        assertEquals(0, echo.socket.counters().get("collector-reply-failures"));
    }

    @Test
    void a_datagram_flood_on_a_slow_plan_is_planned_or_counted_as_dropped_every_one() throws Exception {
        Served slow = serve("flood", "udp:127.0.0.1:" + freeUdpPort());
        slow.pipeline.delayMillis = 1;
        int n = 2000;
        try (DatagramSocket d = new DatagramSocket()) {
            byte[] b = new byte[200];
            for (int i = 0; i < n; i++) d.send(new DatagramPacket(b, b.length, LOOPBACK, slow.port()));
        }
        awaitTrue(
                () -> {
                    slow.socket.refreshKernelStats();
                    return slow.pipeline.payloads.size() + slow.pipeline.kernelDropped + slow.pipeline.notDelivered
                            == n;
                },
                "every datagram planned, dropped by the kernel or dropped at the hand-off");
        Map<String, Long> c = slow.socket.counters();
        assertEquals(slow.pipeline.notDelivered, c.get("collector-handoff-dropped"));
        assertEquals(n - slow.pipeline.kernelDropped, c.get("collector-datagrams"));
    }

    // ---- helpers --------------------------------------------------------------------------

    /** A collector socket {@code name} serving on its own thread {@code plan-NAME}, into a recording pipeline. */
    private Served serve(String name, String... listen) throws Exception {
        SocketSettings settings = TestConfig.load(
                        Files.createDirectories(dir.resolve(name)),
                        "capture[collector] { drop; }\n",
                        """
                agent:
                  capture-plans: %s
                sockets:
                  NAME:
                    type: collector
                    listen: [ "LISTEN" ]
                    reply: false
                    capture-plan: plan.cfg
                transports:
                """.replace("NAME", name).replace("LISTEN", String.join("\", \"", listen))
                                + TestConfig.SILENT_CONSOLE.indent(2))
                .sockets()
                .get(0);
        Recording pipeline = new Recording(settings);
        CollectorSocket socket = CollectorSocket.open(pipeline, new LineFramer(), null, null, loop);
        Served s = new Served(
                socket, pipeline, settings.collector().listen().get(0).port());
        served.add(s);
        s.thread = new Thread(() -> socket.run(() -> s.stopping), "plan-" + name);
        s.thread.start();
        return s;
    }

    private static final class Served {
        final CollectorSocket socket;
        final Recording pipeline;
        volatile boolean stopping;
        Thread thread;

        private final int port;

        Served(CollectorSocket socket, Recording pipeline, int port) {
            this.socket = socket;
            this.pipeline = pipeline;
            this.port = port;
        }

        /** The port of the first listen address. */
        int port() {
            return port;
        }

        void stop() throws InterruptedException {
            stopping = true;
            thread.join(10_000);
            socket.close();
        }
    }

    /** The pipeline's side: records what it is given and on which thread; may be slow, may reply. */
    private static final class Recording implements CollectedMessages {
        final SocketSettings settings;
        final Message message = new Message();
        final List<String> payloads = new CopyOnWriteArrayList<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        volatile long delayMillis;
        volatile boolean reply;
        volatile long kernelDropped;
        volatile long notDelivered;

        Recording(SocketSettings settings) {
            this.settings = settings;
        }

        @Override
        public SocketSettings settings() {
            return settings;
        }

        @Override
        public Message message() {
            return message;
        }

        @Override
        public void planCollected(Message m) {
            threads.add(Thread.currentThread().getName());
            String p = new String(m.payload(), m.payloadOffset(), m.payloadLength(), StandardCharsets.US_ASCII);
            payloads.add(p);
            if (reply) {
                byte[] r = ("re:" + p + "\n").getBytes(StandardCharsets.US_ASCII);
                m.replyChannel().send(r, 0, r.length, true);
            }
            try {
                if (delayMillis > 0) Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void collectedUndecoded(DecodeResult r) {
            throw new AssertionError("raw sockets decode nothing");
        }

        @Override
        public void recordKernelDrops(long kernelDropped, long notDelivered) {
            this.kernelDropped = kernelDropped;
            this.notDelivered = notDelivered;
        }
    }

    /** Messages end with a newline (not part of the message). */
    private static final class LineFramer implements StreamFramer {
        @Override
        public String name() {
            return "lines";
        }

        @Override
        public int next(byte[] buf, int off, int len, Span span) {
            for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                    span.set(off, i - off);
                    return i - off + 1;
                }
            }
            return 0;
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("not within 20 s: " + what);
            Thread.sleep(10);
        }
    }

    private static int freeTcpPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
            return s.getLocalPort();
        }
    }
}
