package org.heptap.hep.transport;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heptap.core.message.Message;
import org.heptap.core.spi.Transport;

/**
 * A hep profile with several collectors. {@code fanout}: every collector gets every message.
 * {@code failover}: each message goes to the first healthy collector in the listed order, so
 * traffic moves on when one fails and comes back when it recovers; a stream collector that
 * fails hands what it still queues to the next healthy one. Each collector keeps its own queue,
 * encoder, counters and spool.
 */
public final class HepProfileTransport implements Transport, RawHepSender {
    public enum Mode { FANOUT, FAILOVER }

    private final String name;
    private final Mode mode;
    private final List<HepCollector> collectors;

    public HepProfileTransport(String name, Mode mode, List<HepCollector> collectors) {
        this.name = name;
        this.mode = mode;
        this.collectors = List.copyOf(collectors);
        if (mode == Mode.FAILOVER) {
            for (HepCollector c : this.collectors) {
                if (c instanceof HepStreamTransport s) s.failOverTo(new Others(c));
            }
        }
    }

    public Mode mode() {
        return mode;
    }

    public List<HepCollector> collectors() {
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
        for (HepCollector c : collectors) c.start();
    }

    @Override
    public boolean send(Message message) {
        if (mode == Mode.FAILOVER) return active().send(message);
        boolean any = false;
        for (HepCollector c : collectors) any |= c.send(message);
        return any;
    }

    @Override
    public boolean sendRaw(Message message) {
        if (mode == Mode.FAILOVER) return active().sendRaw(message);
        boolean any = false;
        for (HepCollector c : collectors) any |= c.sendRaw(message);
        return any;
    }

    /**
     * The first healthy collector; the first one (which queues or spools) when none is. A failed
     * collector that is still handing its queue over stays the target until it is done, so that
     * the next collector gets the failed one's packets before newer ones (capture order).
     */
    private HepCollector active() {
        for (HepCollector c : collectors) {
            if (c.healthy() || c.handingOver()) return c;
        }
        return collectors.get(0);
    }

    @Override
    public boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (HepCollector c : collectors) {
            long left = Math.max(0, deadline - System.nanoTime());
            all &= c.drain(Duration.ofNanos(left));
        }
        return all;
    }

    @Override
    public void close() {
        // every collector is closed (its threads, socket and spool) even if closing another fails
        RuntimeException failed = null;
        for (HepCollector c : collectors) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (failed == null) failed = e;
                else failed.addSuppressed(e);
            }
        }
        if (failed != null) throw failed;
    }

    /** Totals first, then each collector's own counters under its target name. */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> total = new LinkedHashMap<>();
        Map<String, Long> each = new LinkedHashMap<>();
        for (HepCollector c : collectors) {
            for (Map.Entry<String, Long> e : c.counters().entrySet()) {
                total.merge(e.getKey(), e.getValue(), Long::sum);
                each.put(c.target() + " " + e.getKey(), e.getValue());
            }
        }
        total.putAll(each);
        return total;
    }

    /** Fail-over target for one collector: the first other collector that is healthy. */
    private final class Others implements PacketHandOver {
        private final HepCollector self;

        Others(HepCollector self) {
            this.self = self;
        }

        @Override
        public boolean healthy() {
            for (HepCollector c : collectors) {
                if (c != self && c.healthy()) return true;
            }
            return false;
        }

        @Override
        public boolean handOver(ByteBuf packet) {
            for (HepCollector c : collectors) {
                if (c != self && c.healthy()) return c.handOver(packet);
            }
            packet.release();
            return false;
        }
    }
}
