package org.heptap.rtp;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.heptap.core.message.IpText;
import org.heptap.core.message.Message;
import org.heptap.core.spi.Transport;
import org.heptap.sip.CallRoundTrips;

/**
 * Turns a stream's figures into its quality report and sends it to the transports the plan named:
 * HEP type 34 JSON ({@link RtpReportWriter}) with the stream's addresses and ports, the Call-ID
 * as correlation id, and the MOS x 100 and R-factor as HEP chunks 0x0020 and 0x0021 (heplify's
 * chunks, which collectors index without parsing the JSON). Runs on the analysing socket's thread,
 * every few seconds per stream: it may allocate, the per-packet path never calls it.
 */
final class RtpReportSender {
    static final int HEP_REPORT = 34;
    static final int CHUNK_MOS = 0x0020;
    static final int CHUNK_R_FACTOR = 0x0021;

    private final Message message = new Message();
    private final RtpReportWriter writer = new RtpReportWriter();
    private final byte[] src = new byte[16];
    private final byte[] dst = new byte[16];
    private final List<String> names = new ArrayList<>();
    private final List<Transport> destinations = new ArrayList<>();
    private long sent;
    private long refused;
    /** The calls' RTCP round trips (the E-model's delay), when the RTCP module measured one. */
    private final CallRoundTrips roundTrips;

    RtpReportSender(CallRoundTrips roundTrips) {
        this.roundTrips = roundTrips;
    }

    /** A transport the plan names for reports (bind time); naming one twice sends once. */
    void addDestination(String name, Transport t) {
        if (names.contains(name)) return;
        names.add(name);
        destinations.add(t);
    }

    boolean hasDestinations() {
        return !destinations.isEmpty();
    }

    /**
     * Writes and sends the report of {@code slot}; returns what was measured, for listeners.
     *
     * @param evicted the full table evicts the stream (a final report flagged so)
     */
    StreamQuality report(RtpStreamTable table, int slot, long now, boolean last, boolean evicted) {
        StreamQuality q = measure(table, slot, now, last);
        if (destinations.isEmpty()) return q;
        String json = writer.write(
                        table.stats(slot),
                        q.callId(),
                        q.srcIp(),
                        q.srcPort(),
                        q.dstIp(),
                        q.dstPort(),
                        roundTrips.get(q.callId()),
                        last,
                        evicted)
                .toString();
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        byte[] corr = q.callId().getBytes(StandardCharsets.UTF_8);
        String summary = last ? (evicted ? summaryLine(q) + " (evicted)" : summaryLine(q)) : null;
        int version = table.srcAddress(slot, src) == 16 ? 6 : 4;
        table.dstAddress(slot, dst);
        for (Transport t : destinations) {
            message.reset();
            message.setTimestampMicros(now);
            message.setAddresses(version, src, 0, dst, 0);
            message.setIpProtocol(Message.IP_PROTO_UDP);
            message.setPorts(q.srcPort(), q.dstPort());
            message.setPayload(payload, 0, payload.length);
            message.setProtocolType(HEP_REPORT);
            message.setCorrelationId(corr, 0, corr.length);
            message.addNumber(CHUNK_MOS, (int) Math.round(writer.mos() * 100));
            message.addNumber(CHUNK_R_FACTOR, (int) Math.round(writer.rFactor()));
            message.setSummary(summary);
            if (t.send(message)) sent++;
            else refused++;
        }
        return q;
    }

    /**
     * The line the console prints for a finished stream: {@code rtp 192.0.2.10:40000 ->
     * 192.0.2.20:50000 ssrc 0x1234 PCMU 1500 pkts lost 12 (0.8%) jitter 3.1/9.8 ms MOS 4.21 call X}
     * (jitter mean/max).
     */
    static String summaryLine(StreamQuality q) {
        // built by hand: String.format cost ~17 µs a line, one line per finished stream
        StringBuilder b = new StringBuilder(160).append("rtp ");
        b.append(RtpModule.endpoint(q.srcIp(), q.srcPort())).append(" -> ");
        b.append(RtpModule.endpoint(q.dstIp(), q.dstPort()));
        b.append(" ssrc 0x").append(Long.toHexString(q.ssrc())).append(' ');
        b.append(q.codec().isEmpty() ? "?" : q.codec()).append(' ');
        b.append(q.packets()).append(" pkts lost ").append(q.lost()).append(" (");
        fixed(b, q.lossPercent(), 1).append("%) jitter ");
        fixed(b, q.jitterMs(), 1).append('/');
        fixed(b, q.maxJitterMs(), 1).append(" ms MOS ");
        fixed(b, q.mos(), 2).append(" call ").append(q.callId());
        return b.toString();
    }

    /**
     * {@code v} with {@code decimals} digits after the point, as {@code %.Nf} prints it: half up
     * from the shortest decimal form of the double (1.005 gives 1.01), a negative value that
     * rounds to zero keeps its sign.
     */
    static StringBuilder fixed(StringBuilder b, double v, int decimals) {
        if (!Double.isFinite(v)) return b.append(v);
        String digits =
                BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
        if (v < 0 && digits.charAt(0) != '-') b.append('-'); // -0.04 prints as -0.0
        return b.append(digits);
    }

    /** The figures of {@code slot} now, without sending anything (snapshots). */
    StreamQuality measure(RtpStreamTable table, int slot, long now, boolean last) {
        RtpStreamStats s = table.stats(slot);
        int version = table.srcAddress(slot, src) == 16 ? 6 : 4;
        table.dstAddress(slot, dst);
        String codec = s.payloadTypes().name(s.payloadType());
        double r = EModel.rFactor(s, roundTrips.get(table.callId(slot)));
        return new StreamQuality(
                table.callId(slot),
                IpText.format(src, version),
                table.srcPort(slot),
                IpText.format(dst, version),
                table.dstPort(slot),
                s.ssrc(),
                codec == null ? "" : codec,
                s.packets(),
                s.expected(),
                s.lost(),
                s.meanJitterMs(),
                s.maxJitterMs(),
                EModel.mos(r),
                r,
                last,
                now);
    }

    long sent() {
        return sent;
    }

    long refused() {
        return refused;
    }
}
