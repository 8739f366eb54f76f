package org.heptap.hep.relay;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heptap.core.config.CollectorSettings;
import org.heptap.core.log.RateLimitedLog;
import org.heptap.core.message.Message;
import org.heptap.core.spi.CollectorFormat;
import org.heptap.hep.codec.HepDecodeResult;
import org.heptap.hep.codec.HepDecoder;
import org.heptap.hep.codec.HepPacket;

/**
 * One relay socket's HEP decoder: each received packet becomes the message its sender captured
 * (see {@link HepCollectorFormat}). A compressed payload inflates only as far as its sender's
 * {@link InflateBudget} allows and never past {@code inflate-max-payload}; what is refused is
 * counted ({@code collector-inflate-refused}) and logged, at most a few lines a minute.
 */
final class HepRelayDecoder implements CollectorFormat.Decoder {
    private static final Logger LOG = System.getLogger(HepRelayDecoder.class.getName());
    /** Senders whose budget is remembered at once (each a few dozen bytes). */
    static final int MAX_SOURCES = 4096;

    private static final int REFUSALS_LOGGED_PER_MINUTE = 5;

    private final HepDecoder hep = new HepDecoder();
    private final InflateBudget budget;
    private final long perSecond;
    private final RateLimitedLog refusalLog = new RateLimitedLog(REFUSALS_LOGGED_PER_MINUTE, 1, TimeUnit.MINUTES);
    /** The sender of the packet being decoded (the decoder overwrites the message's addresses). */
    private final byte[] sender = new byte[16];

    private long inflateRefused;

    HepRelayDecoder(CollectorSettings.Limits limits) {
        this.perSecond = limits.inflatePerSource();
        this.budget = new InflateBudget(perSecond, limits.inflateMaxPayload(), MAX_SOURCES);
    }

    @Override
    public String decode(byte[] buf, int off, int len, Message m) {
        int senderLength = m.ipVersion() == 6 ? 16 : 4;
        System.arraycopy(m.srcAddr(), 0, sender, 0, senderLength);
        long allowance = budget.allowance(sender, senderLength, System.nanoTime());
        HepDecodeResult r = hep.decode(buf, off, len, (int) allowance);
        budget.charge(hep.lastInflated());
        if (r.status() == HepDecodeResult.Status.INFLATE_LIMIT) {
            inflateRefused++;
            logRefusal(senderLength, allowance);
            return REFUSED;
        }
        if (!r.ok()) return r.status() + ": " + r.detail();
        HepPacket p = r.packet();
        m.setAddresses(p.ipVersion(), p.srcAddr(), 0, p.dstAddr(), 0);
        m.setPorts(p.srcPort(), p.dstPort());
        if (p.ipProtocol() != 0) m.setIpProtocol(p.ipProtocol());
        if (p.version() >= 2 && (p.timeSeconds() != 0 || p.timeMicros() != 0))
            m.setTimestampMicros(p.timestampMicros());
        if (p.protocolType() >= 0) m.setProtocolType(p.protocolType());
        if (p.vlan() >= 0) m.setVlan(p.vlan());
        if (p.correlationId() != null && !p.correlationId().isEmpty()) {
            byte[] c = p.correlationId().getBytes(StandardCharsets.UTF_8);
            m.setCorrelationId(c, 0, c.length);
        }
        m.setPayload(p.payload(), 0, p.payload().length);
        return null;
    }

    private void logRefusal(int senderLength, long allowance) {
        long notLogged = refusalLog.tryAcquire();
        if (notLogged < 0) return;
        String from;
        try {
            from = InetAddress.getByAddress(Arrays.copyOf(sender, senderLength)).getHostAddress();
        } catch (UnknownHostException e) {
            from = "?";
        }
        String why = allowance >= budget.maxPayload()
                ? "its compressed payload inflates past " + budget.maxPayload() + " bytes (inflate-max-payload)"
                : "its address has used its inflate budget (inflate-per-source: " + perSecond + " bytes a second)";
        LOG.log(
                Level.WARNING,
                "HEP relay: a packet from " + from + " refused: " + why + " (collector-inflate-refused "
                        + inflateRefused
                        + (notLogged > 0 ? "; " + notLogged + " earlier lines not logged" : "") + "; at most "
                        + REFUSALS_LOGGED_PER_MINUTE + " lines a minute)");
    }

    @Override
    public void addCounters(Map<String, Long> counters) {
        counters.put("collector-inflate-refused", inflateRefused);
    }
}
