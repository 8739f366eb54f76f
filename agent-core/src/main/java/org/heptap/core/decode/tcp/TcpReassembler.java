package org.heptap.core.decode.tcp;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.heptap.core.message.Message;
import org.heptap.core.spi.MessageSink;
import org.heptap.core.spi.StreamFramer;

/**
 * Puts the TCP segments of each flow (one direction of a connection) back in sequence order and
 * hands the stream to a {@link StreamFramer}, which says where messages end. Each framed message
 * is delivered as a packet of its own: the flow's addresses and ports, the timestamp of the
 * segment that completed it, and timestamps strictly increasing within the flow (+1 µs when one
 * segment completes several), so collectors that sort by time keep the stream's order.
 *
 * <p>Retransmitted and overlapping bytes are ignored (the first copy wins). Segments ahead of the
 * expected sequence number are held, a few per flow; when a hole is not filled by then it is
 * given up (the partial message around it is discarded) and the stream goes on after it.
 * A capture that starts mid-connection starts the flow at its first segment; the framer skips to
 * the first message start.
 *
 * <p>Bounded and counted: flows (least recently active evicted), bytes buffered over all flows,
 * unframed bytes per flow, idle time. Payload bytes are copied once, into the flow's buffer.
 * One instance belongs to one socket thread.
 */
public final class TcpReassembler {
    /** Segments held ahead of a hole per flow. */
    static final int MAX_HELD = 16;
    /** Sequence distance beyond which a segment is not "ahead" but a new start (or garbage). */
    private static final int MAX_AHEAD = 1 << 20;

    private static final int FIN = 0x01;
    private static final int RST = 0x04;

    private final TcpOptions options;
    private final StreamFramer framer;
    private final StreamFramer webSocket;
    /** Access order: the head is the least recently active flow. */
    private final LinkedHashMap<FlowKey, Flow> flows = new LinkedHashMap<>(64, 0.75f, true);

    private final FlowKey probe = new FlowKey();
    private final StreamFramer.Span span = new StreamFramer.Span();
    private final Message out = new Message();
    private long bytesHeld;

    private long messages;
    private long flowsEvicted;
    private long flowsEvictedForBytes;
    private long flowsExpired;
    private long retransmissions;
    private long gapsSkipped;
    private long bytesDiscarded;

    public TcpReassembler(TcpOptions options, StreamFramer framer, StreamFramer webSocket) {
        this.options = options;
        this.framer = framer;
        this.webSocket = webSocket;
    }

    /** Takes one TCP segment (its payload, flow, sequence number, timestamp) and delivers what it completes. */
    public void accept(Message segment, MessageSink sink) {
        long now = segment.timestampMicros();
        expire(now);
        probe.set(segment);
        Flow f = flows.get(probe);
        int len = segment.payloadLength();
        long seq = segment.tcpSequence();
        if ((segment.tcpFlags() & RST) != 0) {
            if (f != null) remove(f);
            return;
        }
        if (len == 0) return;
        if (f == null) {
            while (flows.size() >= options.maxFlows()) {
                flowsEvicted++;
                remove(flows.values().iterator().next());
            }
            f = new Flow(probe, seq, options.isWebSocket(segment.srcPort(), segment.dstPort()) ? webSocket : framer);
            flows.put(f.key, f);
        }
        f.lastSeen = now;
        int ahead = (int) (seq - f.nextSeq);
        if (ahead > MAX_AHEAD || ahead < -MAX_AHEAD) {
            // far from where the flow was: a new connection reusing the ports, or a capture gap
            gapsSkipped++;
            discardUnframed(f);
            f.nextSeq = seq;
            ahead = 0;
        }
        if (ahead > 0) {
            hold(f, segment, seq, ahead);
        } else {
            int skip = -ahead;
            if (skip >= len) {
                retransmissions++;
                return;
            }
            if (!append(f, segment.payload(), segment.payloadOffset() + skip, len - skip)) return;
        }
        drainHeld(f);
        frame(f, segment, now, sink);
        if ((segment.tcpFlags() & FIN) != 0 && f.heldCount == 0) remove(f);
    }

    private void hold(Flow f, Message segment, long seq, int ahead) {
        for (int i = 0; i < f.heldCount; i++) {
            if (f.heldSeq[i] == seq) {
                retransmissions++;
                return;
            }
        }
        if (f.heldCount == MAX_HELD) {
            // the hole in front of them is not coming: go on from the first held segment
            skipHole(f);
            if ((int) (seq - f.nextSeq) <= 0) { // now in order or overlapping
                int skip = (int) (f.nextSeq - seq);
                if (skip < segment.payloadLength())
                    append(f, segment.payload(), segment.payloadOffset() + skip, segment.payloadLength() - skip);
                return;
            }
        }
        int len = segment.payloadLength();
        if (!reserve(f, len)) return;
        byte[] copy = Arrays.copyOfRange(segment.payload(), segment.payloadOffset(), segment.payloadOffset() + len);
        f.heldSeq[f.heldCount] = seq;
        f.held[f.heldCount] = copy;
        f.heldCount++;
        f.heldBytes += len;
        bytesHeld += len;
    }

    /** Gives up the bytes missing before the earliest held segment. */
    private void skipHole(Flow f) {
        int first = 0;
        for (int i = 1; i < f.heldCount; i++) {
            if ((int) (f.heldSeq[i] - f.heldSeq[first]) < 0) first = i;
        }
        gapsSkipped++;
        discardUnframed(f);
        f.nextSeq = f.heldSeq[first];
        drainHeld(f);
    }

    private void drainHeld(Flow f) {
        boolean moved = true;
        while (moved && f.heldCount > 0) {
            moved = false;
            for (int i = 0; i < f.heldCount; i++) {
                int ahead = (int) (f.heldSeq[i] - f.nextSeq);
                if (ahead > 0) continue;
                byte[] d = f.held[i];
                removeHeld(f, i);
                int skip = -ahead;
                if (skip < d.length) append(f, d, skip, d.length - skip);
                else retransmissions++;
                moved = true;
                break;
            }
        }
    }

    private void removeHeld(Flow f, int i) {
        int n = f.held[i].length;
        f.heldBytes -= n;
        bytesHeld -= n;
        f.heldCount--;
        f.heldSeq[i] = f.heldSeq[f.heldCount];
        f.held[i] = f.held[f.heldCount];
        f.held[f.heldCount] = null;
    }

    /** Appends in-order bytes; false when the flow could not take them (it was reset, counted). */
    private boolean append(Flow f, byte[] src, int off, int len) {
        f.nextSeq = (f.nextSeq + len) & 0xffffffffL;
        if (f.end - f.start + len > options.maxMessage()) {
            // no framer ever needs this much unframed data: the stream is not what we think
            bytesDiscarded += f.end - f.start + len;
            f.start = f.end = 0;
            return false;
        }
        if (f.end + len > f.capacity()) {
            if (f.start > 0) {
                System.arraycopy(f.buf, f.start, f.buf, 0, f.end - f.start);
                f.end -= f.start;
                f.start = 0;
            }
            if (f.end + len > f.capacity()) {
                int next = Math.min(options.maxMessage(), Math.max(f.end + len, Math.max(1024, f.capacity() * 2)));
                if (!reserve(f, next - f.capacity())) return false;
                f.buf = f.buf == null ? new byte[next] : Arrays.copyOf(f.buf, next);
            }
        }
        System.arraycopy(src, off, f.buf, f.end, len);
        f.end += len;
        return true;
    }

    /** Makes room for {@code n} more bytes under the bound, evicting other flows; false if impossible. */
    private boolean reserve(Flow f, int n) {
        while (bytesHeld + n > options.maxBytes()) {
            Flow oldest = flows.values().iterator().next();
            flowsEvictedForBytes++;
            remove(oldest);
            if (oldest == f) return false;
        }
        bytesHeld += n;
        return true;
    }

    private void frame(Flow f, Message segment, long now, MessageSink sink) {
        while (f.start < f.end) {
            int consumed = f.framer.next(f.buf, f.start, f.end - f.start, span);
            if (consumed <= 0) break;
            consumed = Math.min(consumed, f.end - f.start);
            if (span.length > 0) {
                long ts = Math.max(now, f.lastTimestamp + 1);
                f.lastTimestamp = ts;
                out.reset();
                out.copyAddressing(segment);
                out.setTimestampMicros(ts);
                out.setPayload(f.buf, span.offset, span.length);
                messages++;
                sink.accept(out);
            }
            f.start += consumed;
        }
        if (f.start == f.end) f.start = f.end = 0;
    }

    private void discardUnframed(Flow f) {
        bytesDiscarded += f.end - f.start;
        f.start = f.end = 0;
    }

    private void expire(long now) {
        Iterator<Flow> it = flows.values().iterator();
        while (it.hasNext()) {
            Flow f = it.next();
            if (now - f.lastSeen <= options.idleTimeoutMicros()) break;
            it.remove();
            flowsExpired++;
            release(f);
        }
    }

    private void remove(Flow f) {
        flows.remove(f.key);
        release(f);
    }

    private void release(Flow f) {
        bytesHeld -= f.capacity() + f.heldBytes;
        bytesDiscarded += f.end - f.start + f.heldBytes;
        f.buf = null;
        f.heldCount = 0;
        f.heldBytes = 0;
    }

    /** Flows followed now. */
    public int flows() {
        return flows.size();
    }

    /** Bytes buffered now over all flows. */
    public long bytesHeld() {
        return bytesHeld;
    }

    public void addCounters(Map<String, Long> c) {
        c.put("tcp-messages", messages);
        c.put("tcp-flows-evicted", flowsEvicted);
        c.put("tcp-flows-evicted-bytes", flowsEvictedForBytes);
        c.put("tcp-flows-expired", flowsExpired);
        c.put("tcp-retransmissions", retransmissions);
        c.put("tcp-gaps-skipped", gapsSkipped);
        c.put("tcp-bytes-discarded", bytesDiscarded);
    }

    public long flowsEvicted() {
        return flowsEvicted;
    }

    public long flowsEvictedForBytes() {
        return flowsEvictedForBytes;
    }

    public long gapsSkipped() {
        return gapsSkipped;
    }

    public long retransmissions() {
        return retransmissions;
    }

    public long bytesDiscarded() {
        return bytesDiscarded;
    }

    /** One direction of a TCP connection. */
    private static final class FlowKey {
        final byte[] addresses = new byte[32];
        int addressLength;
        int ports;
        int hash;

        void set(Message m) {
            addressLength = m.addrLength();
            System.arraycopy(m.srcAddr(), 0, addresses, 0, addressLength);
            System.arraycopy(m.dstAddr(), 0, addresses, addressLength, addressLength);
            ports = (m.srcPort() << 16) | m.dstPort();
            int h = ports;
            for (int i = 0; i < addressLength * 2; i++) h = h * 31 + addresses[i];
            hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FlowKey k
                    && k.hash == hash
                    && k.ports == ports
                    && k.addressLength == addressLength
                    && Arrays.equals(addresses, 0, addressLength * 2, k.addresses, 0, addressLength * 2);
        }
    }

    private static final class Flow {
        final FlowKey key = new FlowKey();
        final StreamFramer framer;
        long nextSeq;
        long lastSeen;
        long lastTimestamp = Long.MIN_VALUE;
        byte[] buf;
        int start;
        int end;
        final long[] heldSeq = new long[MAX_HELD];
        final byte[][] held = new byte[MAX_HELD][];
        int heldCount;
        int heldBytes;

        Flow(FlowKey k, long seq, StreamFramer framer) {
            System.arraycopy(k.addresses, 0, key.addresses, 0, 32);
            key.addressLength = k.addressLength;
            key.ports = k.ports;
            key.hash = k.hash;
            this.nextSeq = seq;
            this.framer = framer;
        }

        int capacity() {
            return buf == null ? 0 : buf.length;
        }
    }
}
