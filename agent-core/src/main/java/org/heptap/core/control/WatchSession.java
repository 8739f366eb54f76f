package org.heptap.core.control;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.heptap.core.message.Message;
import org.heptap.core.spi.MessageSink;

/**
 * One {@code heptapctl watch}: a tap on the capture thread that copies each admitted message into
 * a bounded queue and never waits; when the watcher is slower than the traffic, messages are
 * dropped and counted. Filtering (IP here, SIP through {@link org.heptap.core.spi.WatchFilterProvider})
 * happens on the watcher's thread, on the copies.
 */
final class WatchSession implements MessageSink {
    static final int CAPACITY = 1024;

    private final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final String ip;
    private final List<Predicate<Message>> filters;

    WatchSession(String ip, List<Predicate<Message>> filters) {
        this.ip = ip;
        this.filters = filters;
    }

    /** Capture thread: copy and offer, never block. */
    @Override
    public void accept(Message m) {
        if (ip != null && !ip.equals(m.srcIpText()) && !ip.equals(m.dstIpText())) return;
        if (queue.remainingCapacity() == 0) {
            dropped.incrementAndGet();
            return;
        }
        Message c = new Message();
        c.setTimestampMicros(m.timestampMicros());
        c.setIpProtocol(m.ipProtocol());
        c.setAddresses(m.ipVersion(), m.srcAddr(), 0, m.dstAddr(), 0);
        c.setPorts(m.srcPort(), m.dstPort());
        c.setVlan(m.vlan());
        c.setSocketName(m.socketName());
        byte[] p = Arrays.copyOfRange(m.payload(), m.payloadOffset(), m.payloadOffset() + m.payloadLength());
        c.setPayload(p, 0, p.length);
        if (!queue.offer(c)) dropped.incrementAndGet();
    }

    /** Watcher thread: the next message that passes every filter, or null after the timeout. */
    Message next(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            Message m = queue.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) return null;
            boolean pass = true;
            for (Predicate<Message> f : filters) {
                if (!f.test(m)) {
                    pass = false;
                    break;
                }
            }
            if (pass) return m;
        }
    }

    long dropped() {
        return dropped.get();
    }
}
