package org.heptap.core.collector;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.heptap.core.config.CollectorSettings;
import org.heptap.core.decode.DecodeResult;
import org.heptap.core.message.Message;
import org.heptap.core.spi.AutoResponder;
import org.heptap.core.spi.CollectorFormat;

/**
 * A collector socket's plan thread's side of each received message: its envelope decoded (a module's format),
 * through the plan with a {@link ReplyPath} back to its sender, then the socket's
 * {@link AutoResponder} answers what the plan left unanswered ({@code reply: true}).
 *
 * <p>Addresses of the message: source = the sender, destination = the address the collector
 * received it on (TCP: the connection's local address; UDP: the listen address, which is the
 * wildcard when listening on 0.0.0.0 or ::). captagent reverses them (source = its listen
 * address); heptap keeps the real direction so HOMER draws the PUBLISH going from the phone to
 * the collector.
 */
final class PlanIntake {
    private static final Logger LOG = System.getLogger(CollectorSocket.class.getName());

    private final CollectedMessages pipeline;
    private final CollectorSettings settings;
    /** Decodes the envelope of what is received (the socket's format); null when it is the payload itself. */
    private final CollectorFormat.Decoder decoder;
    /** Null when the socket does not answer by itself. */
    private final AutoResponder responder;

    private final CollectorCounters counters;
    private final ReplyPath reply;
    private long lastUndecodableLog;

    PlanIntake(
            CollectedMessages pipeline,
            CollectorFormat.Decoder decoder,
            AutoResponder responder,
            CollectorCounters counters) {
        this.pipeline = pipeline;
        this.settings = pipeline.settings().collector();
        this.decoder = decoder;
        this.responder = responder;
        this.counters = counters;
        this.reply = new ReplyPath(counters);
    }

    /** One received message through the plan, then the automatic reply if it got none. */
    void deliver(Received r) {
        Message m = pipeline.message();
        m.reset();
        Instant now = Instant.now(); // received, not captured: the time of arrival
        m.setTimestampMicros(now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
        m.setIpProtocol(r.ipProtocol);
        InetSocketAddress peer = r.peer;
        byte[] src = peer.getAddress().getAddress();
        byte[] dst = r.local.getAddress().getAddress();
        if (dst.length != src.length) dst = new byte[src.length]; // v4 peer on a v6 wildcard: unspecified
        m.setAddresses(src.length == 16 ? 6 : 4, src, 0, dst, 0);
        m.setPorts(peer.getPort(), r.local.getPort());
        m.setPayload(r.data, 0, r.length);
        m.setProtocolType(settings.protocolType());
        if (decoder != null && !decoded(r, m)) return;
        reply.aim(r);
        m.setReplyChannel(reply);
        pipeline.planCollected(m);
        if (responder != null && !reply.hasReplied()) {
            m.setPayload(r.data, 0, r.length); // the plan may have replaced it (report JSON)
            byte[] answer = responder.respond(m);
            if (answer != null && reply.send(answer, 0, answer.length, true)) counters.autoReplies++;
        }
        m.setReplyChannel(null);
        reply.clear();
    }

    /** Decodes the envelope into {@code m}; false (counted, logged at most every 10 s) when it yields no message. */
    private boolean decoded(Received r, Message m) {
        String problem = decoder.decode(r.data, 0, r.length, m);
        if (problem == null) return true;
        if (problem == CollectorFormat.Decoder.REFUSED) {
            pipeline.collectedUndecoded(DecodeResult.REFUSED); // the format counted and logged it
            return false;
        }
        pipeline.collectedUndecoded(DecodeResult.MALFORMED);
        counters.undecodable++;
        long t = System.nanoTime();
        if (t - lastUndecodableLog > 10_000_000_000L || lastUndecodableLog == 0) {
            lastUndecodableLog = t;
            LOG.log(
                    Level.WARNING,
                    "socket " + pipeline.settings().name() + ": " + r.length + " bytes from " + r.peer + " are not "
                            + settings.format() + ": " + problem + " (" + counters.undecodable
                            + " so far; logged at most every 10 s)");
        }
        return false;
    }
}
