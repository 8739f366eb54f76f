package org.heptap.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.heptap.core.log.RateLimitedLog;
import org.heptap.core.message.Message;

/**
 * The pipeline threads' side of one collector: encodes a message with the thread's encoder into a
 * pooled buffer (the only allocation on their side) and offers the record to the collector's
 * queue. A record too large for the carrier is counted ({@code oversize}) and logged at most once
 * per interval; after close every message is a counted drop.
 */
final class RecordIntake {
    private static final System.Logger LOG = System.getLogger(RecordIntake.class.getName());

    private final String name;
    private final WireFormat format;
    private final EncoderPerThread encoders;
    private final SendQueue queue;
    private final BooleanSupplier closed;
    private final String carrier;
    private final ByteBufAllocator alloc;
    private final LongAdder oversize = new LongAdder();
    private final RateLimitedLog oversizeLog;

    /**
     * @param carrier     what a record must fit in, for the log line: "one UDP datagram", "one record"
     * @param logSeconds  at most one oversize line per this many seconds
     * @param alloc       where records are encoded
     */
    RecordIntake(
            String name,
            WireFormat format,
            EncoderPerThread encoders,
            SendQueue queue,
            BooleanSupplier closed,
            String carrier,
            int logSeconds,
            ByteBufAllocator alloc) {
        this.name = name;
        this.format = format;
        this.encoders = encoders;
        this.queue = queue;
        this.closed = closed;
        this.carrier = carrier;
        this.alloc = alloc;
        this.oversizeLog = RateLimitedLog.oncePer(logSeconds, TimeUnit.SECONDS);
    }

    boolean send(Message message) {
        if (closed.getAsBoolean()) {
            queue.countDropped(1);
            return false;
        }
        MessageEncoder encoder = encoders.get();
        ByteBuf buf = encoder.encode(message, alloc);
        if (buf == null) {
            tooLarge(message, encoder.encodedLength(message), encoder.maxLength());
            return false;
        }
        if (message.payloadLength() > 60_000) noteLarge(encoder, message);
        return queue.offer(buf);
    }

    /** {@code send_hep_raw}: the payload alone, without the format, to the same collector. */
    boolean sendRaw(Message message) {
        if (closed.getAsBoolean()) {
            queue.countDropped(1);
            return false;
        }
        MessageEncoder encoder = encoders.get();
        ByteBuf buf = encoder.encodeRaw(message, alloc);
        if (buf == null) {
            tooLarge(message, message.payloadLength(), encoder.maxLength());
            return false;
        }
        return queue.offer(buf);
    }

    long oversize() {
        return oversize.sum();
    }

    private void tooLarge(Message m, long length, int max) {
        oversize.increment();
        long quiet = oversizeLog.tryAcquire();
        if (quiet >= 0) {
            LOG.log(
                    Level.WARNING,
                    "transport {0}: a {1,number,#}-byte record does not fit in {2} (max {3,number,#} bytes), not sent; {4}{5}",
                    name,
                    length,
                    carrier,
                    max,
                    format.nameForLog(m),
                    quietNote(quiet));
        }
    }

    /** A large message the encoder sent in an unusual way (HEP3: payload compressed to fit): said once per interval. */
    private void noteLarge(MessageEncoder encoder, Message message) {
        String note = encoder.largeRecordNote(message);
        if (note == null) return;
        long quiet = oversizeLog.tryAcquire();
        if (quiet >= 0) LOG.log(Level.INFO, "transport {0}: {1}; {2}", name, note, format.nameForLog(message));
    }

    private static String quietNote(long quiet) {
        return quiet > 0 ? " (" + quiet + " more since the last report)" : "";
    }
}
