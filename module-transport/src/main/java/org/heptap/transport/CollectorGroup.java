package org.heptap.transport;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.heptap.core.message.Message;
import org.heptap.core.spi.Transport;

/**
 * A transport profile with several collectors. {@code fanout}: every collector gets every message.
 * {@code failover}: each message goes to the first healthy collector in the listed order, so
 * traffic moves on when one fails and comes back when it recovers; a stream collector that
 * fails hands what it still queues to the next healthy one. Each collector keeps its own queue,
 * encoder, counters and spool.
 */
public final class CollectorGroup implements Transport, RawSender {
    public enum Mode {
        FANOUT,
        FAILOVER
    }

    private final String name;
    private final Mode mode;
    private final List<Collector> collectors;
    /** Fan-out: the copies beyond the first of each message (n - 1 per message), an input of the ledger. */
    private final LongAdder copies = new LongAdder();

    public CollectorGroup(String name, Mode mode, List<Collector> collectors) {
        this.name = name;
        this.mode = mode;
        this.collectors = List.copyOf(collectors);
        if (mode == Mode.FAILOVER) {
            for (Collector c : this.collectors) {
                if (c instanceof StreamSender s) s.failOverTo(new Others(c));
            }
        }
    }

    public Mode mode() {
        return mode;
    }

    public List<Collector> collectors() {
        return collectors;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(mode == Mode.FANOUT ? "fan-out to " : "fail-over across ");
        for (int i = 0; i < collectors.size(); i++) {
            if (i > 0) sb.append(mode == Mode.FANOUT ? " + " : " then ");
            sb.append('[').append(collectors.get(i).describe()).append(']');
        }
        return sb.toString();
    }

    @Override
    public void start() {
        for (Collector c : collectors) c.start();
    }

    @Override
    public boolean send(Message message) {
        if (mode == Mode.FAILOVER) return active().send(message);
        copies.add(collectors.size() - 1);
        boolean any = false;
        for (Collector c : collectors) any |= c.send(message);
        return any;
    }

    @Override
    public boolean sendRaw(Message message) {
        if (mode == Mode.FAILOVER) return active().sendRaw(message);
        copies.add(collectors.size() - 1);
        boolean any = false;
        for (Collector c : collectors) any |= c.sendRaw(message);
        return any;
    }

    /**
     * The first healthy collector; the first one (which queues or spools) when none is. A failed
     * collector that is still handing its queue over stays the target until it is done, so that
     * the next collector gets the failed one's packets before newer ones (capture order).
     */
    private Collector active() {
        for (Collector c : collectors) {
            if (c.healthy() || c.handingOver()) return c;
        }
        return collectors.get(0);
    }

    @Override
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (Collector c : collectors) {
            long left = Math.max(0, deadline - System.nanoTime());
            all &= c.drain(Duration.ofNanos(left));
        }
        return all;
    }

    @Override
    public void close() {
        // every collector is closed (its threads, socket and spool) even if closing another fails
        RuntimeException failed = null;
        for (Collector c : collectors) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (failed == null) failed = e;
                else failed.addSuppressed(e);
            }
        }
        if (failed != null) throw failed;
    }

    /**
     * Totals first (a fan-out's also {@link Transport#FAN_OUT_COPIES}, so that the ledger
     * balances the copies its collectors sent), then each collector's own counters under its
     * target name ({@link Transport#isCollectorShare}).
     */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> total = new LinkedHashMap<>();
        if (mode == Mode.FANOUT) total.put(FAN_OUT_COPIES, copies.sum());
        Map<String, Long> each = new LinkedHashMap<>();
        for (Collector c : collectors) {
            for (Map.Entry<String, Long> e : c.counters().entrySet()) {
                total.merge(e.getKey(), e.getValue(), Long::sum);
                each.put(c.target() + " " + e.getKey(), e.getValue());
            }
        }
        total.putAll(each);
        return total;
    }

    /** Each collector's target and whether it is reachable now. */
    @Override
    public Map<String, Boolean> collectorHealth() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (Collector c : collectors) m.put(c.target(), c.healthy());
        return m;
    }

    /** Fail-over target for one collector: the first other collector that is healthy. */
    private final class Others implements PacketHandOver {
        private final Collector self;

        Others(Collector self) {
            this.self = self;
        }

        @Override
        public boolean healthy() {
            for (Collector c : collectors) {
                if (c != self && c.healthy()) return true;
            }
            return false;
        }

        @Override
        public boolean handOver(ByteBuf packet) {
            for (Collector c : collectors) {
                if (c != self && c.healthy()) return c.handOver(packet);
            }
            packet.release();
            return false;
        }
    }
}
