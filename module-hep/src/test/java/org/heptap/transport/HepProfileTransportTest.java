package org.heptap.transport;

import static org.heptap.hep.TestMessages.OPTIONS;
import static org.heptap.hep.TestMessages.sip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.heptap.core.ledger.LossLedger;
import org.heptap.core.message.Message;
import org.heptap.hep.codec.HepDecodeResult;
import org.heptap.hep.codec.HepDecoder;
import org.heptap.hep.codec.HepSettings;
import org.heptap.hep.transport.HepWireFormat;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HepProfileTransportTest {
    private static final int TOTAL = 6000;

    private static StreamConfig config(int port) {
        return new StreamConfig(
                "tcp",
                "127.0.0.1",
                port,
                4096,
                Duration.ofSeconds(2),
                Duration.ofMillis(50),
                Duration.ofMillis(200),
                true,
                0,
                null,
                0,
                null);
    }

    private static Message numbered(int i) {
        return sip(4, OPTIONS.replace("c1@", "n" + i + "@"));
    }

    private static List<byte[]> snapshot(List<byte[]> synchronizedList) {
        synchronized (synchronizedList) {
            return new ArrayList<>(synchronizedList);
        }
    }

    private static List<Integer> numbers(List<byte[]> packets) {
        List<Integer> out = new ArrayList<>();
        try (HepDecoder d = new HepDecoder()) {
            for (byte[] p : packets) {
                HepDecodeResult r = d.decode(p);
                assertTrue(r.ok(), r.detail());
                String t = r.packet().payloadText();
                int at = t.indexOf("Call-ID: n") + 10;
                out.add(Integer.parseInt(t.substring(at, t.indexOf('@', at))));
            }
        }
        return out;
    }

    /**
     * The first collector goes away while packets keep coming: what it still queued is handed to
     * the second before anything newer, so the two together hold the packets in order, none
     * twice, and short by at most what the agent counts as written to the dead connection.
     */
    @RepeatedTest(3)
    void failover_keeps_capture_order_across_the_switch() throws Exception {
        TcpReceiver first = new TcpReceiver(0);
        try (TcpReceiver second = new TcpReceiver(0)) {
            StreamSender a =
                    new StreamSender("homer", config(first.port()), false, new HepWireFormat(HepSettings.v3(1)));
            StreamSender b =
                    new StreamSender("homer", config(second.port()), false, new HepWireFormat(HepSettings.v3(1)));
            CollectorGroup profile = new CollectorGroup("homer", CollectorGroup.Mode.FAILOVER, List.of(a, b));
            profile.start();
            for (int i = 0; i < TOTAL; i++) {
                if (i == TOTAL / 3) first.close();
                profile.send(numbered(i));
                if (i % 20 == 0) LockSupport.parkNanos(200_000); // a paced capture: the switch happens mid-stream
            }
            assertTrue(profile.drain(Duration.ofSeconds(10)));
            // written is not yet read: wait until the receiver has stopped getting more (bounded)
            for (int quiet = 0, tries = 0, last = -1; quiet < 5 && tries < 200; tries++) {
                int now = second.packets.size();
                quiet = now == last ? quiet + 1 : 0;
                last = now;
                Thread.sleep(20);
            }
            List<Integer> got = new ArrayList<>(numbers(snapshot(first.packets)));
            List<Integer> fromSecond = numbers(snapshot(second.packets));
            profile.close();
            assertFalse(fromSecond.isEmpty(), "the second collector got the rest");
            got.addAll(fromSecond);
            Set<Integer> seen = new HashSet<>();
            int last = -1;
            for (int n : got) {
                assertTrue(seen.add(n), "delivered twice: " + n);
                assertTrue(
                        n > last,
                        "out of order: " + n + " after " + last + " (first collector got "
                                + (got.size() - fromSecond.size()) + ", the second's start: "
                                + fromSecond.subList(0, Math.min(30, fromSecond.size())) + "; " + a.counters() + ")");
                last = n;
            }
            Map<String, Long> ca = a.counters();
            long window = ca.get("unconfirmed")
                    + ca.get("send-failed")
                    + ca.get("dropped")
                    + b.counters().get("dropped");
            assertTrue(TOTAL - got.size() <= window, "missing " + (TOTAL - got.size()) + " > reported window " + ca);
        }
    }

    /** A started fan-out profile "homer" to two TCP collectors, HEP v3. */
    private static CollectorGroup fanout(TcpReceiver one, TcpReceiver two) {
        CollectorGroup profile = new CollectorGroup(
                "homer",
                CollectorGroup.Mode.FANOUT,
                List.of(
                        new StreamSender("homer", config(one.port()), false, new HepWireFormat(HepSettings.v3(1))),
                        new StreamSender("homer", config(two.port()), false, new HepWireFormat(HepSettings.v3(1)))));
        profile.start();
        return profile;
    }

    @Test
    void fanout_gives_every_collector_every_packet() throws Exception {
        try (TcpReceiver one = new TcpReceiver(0);
                TcpReceiver two = new TcpReceiver(0)) {
            CollectorGroup profile = fanout(one, two);
            for (int i = 0; i < 500; i++) assertTrue(profile.send(numbered(i)));
            assertTrue(profile.drain(Duration.ofSeconds(10)));
            assertTrue(one.awaitPackets(500, 5000) && two.awaitPackets(500, 5000));
            profile.close();
            List<Integer> want = new ArrayList<>();
            for (int i = 0; i < 500; i++) want.add(i);
            assertEquals(want, numbers(one.packets));
            assertEquals(want, numbers(two.packets));
            assertEquals(1000L, profile.counters().get("sent"));
        }
    }

    /** A fan-out sends each message once per collector: the copies are an input, the ledger balances. */
    @Test
    void fanout_balances_in_the_ledger() throws Exception {
        try (TcpReceiver one = new TcpReceiver(0);
                TcpReceiver two = new TcpReceiver(0)) {
            CollectorGroup profile = fanout(one, two);
            for (int i = 0; i < 200; i++) assertTrue(profile.send(numbered(i)));
            assertTrue(profile.drain(Duration.ofSeconds(10)));
            Map<String, Long> counters = profile.counters();
            profile.close();
            LossLedger.Stage stage = LossLedger.transportStage("homer", 200, counters);
            assertTrue(stage.balanced(), stage + " from " + counters);
            assertEquals(400L, counters.get("sent"));
        }
    }

    /** Fail-over from a collector that is down from the start: per-collector counters are shares, not losses. */
    @Test
    void failover_balances_in_the_ledger() throws Exception {
        int down;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            down = free.getLocalPort(); // closed again: connections are refused
        }
        try (TcpReceiver up = new TcpReceiver(0)) {
            CollectorGroup profile = new CollectorGroup(
                    "homer",
                    CollectorGroup.Mode.FAILOVER,
                    List.of(
                            new StreamSender("homer", config(down), false, new HepWireFormat(HepSettings.v3(1))),
                            new StreamSender("homer", config(up.port()), false, new HepWireFormat(HepSettings.v3(1)))));
            profile.start();
            for (int i = 0; i < 200; i++) profile.send(numbered(i));
            assertTrue(profile.drain(Duration.ofSeconds(10)));
            Map<String, Long> counters = profile.counters();
            profile.close();
            LossLedger.Stage stage = LossLedger.transportStage("homer", 200, counters);
            assertTrue(stage.balanced(), stage + " from " + counters);
            assertEquals(200L, counters.get("sent") + stage.lossTotal());
        }
    }
}
