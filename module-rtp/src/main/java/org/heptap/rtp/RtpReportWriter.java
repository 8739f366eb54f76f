package org.heptap.rtp;

/**
 * Writes a stream's quality report, the JSON document sent as HEP type 34 with the Call-ID as
 * correlation id: the stream's addresses, SSRC and codec, its counts and Wireshark-compatible
 * delta/jitter, and the E-model's R-factor and MOS; plus the keys heplify-server reads from
 * type 34 ({@code DELTA}, {@code JITTER}, {@code MOS}, {@code PACKET_LOSS}). {@code final} is
 * false for interval reports and true for the one report when the stream ends. One reusable
 * builder per writer; reports go out every few seconds per stream, not per packet.
 */
public final class RtpReportWriter {
    private final StringBuilder out = new StringBuilder(768);
    private double mos;
    private double rFactor;

    /**
     * @param rttMs RTCP round-trip time of the call in ms, or negative when no RTCP told it
     */
    public CharSequence write(
            RtpStreamStats s, String srcIp, int srcPort, String dstIp, int dstPort, double rttMs, boolean last) {
        return write(s, null, srcIp, srcPort, dstIp, dstPort, rttMs, last, false);
    }

    /**
     * As above, with the stream's Call-ID as {@code call_id} (null: left out); {@code evicted}:
     * the stream's final report because the full stream table evicted it, flagged
     * {@code "evicted":true} (the key is there only then).
     */
    public CharSequence write(
            RtpStreamStats s,
            String callId,
            String srcIp,
            int srcPort,
            String dstIp,
            int dstPort,
            double rttMs,
            boolean last,
            boolean evicted) {
        int pt = s.payloadType();
        String codec = s.payloadTypes().name(pt);
        long expected = s.expected();
        double lossPercent = EModel.lossPercent(s);
        double r = EModel.rFactor(s, rttMs);
        double mos = EModel.mos(r);
        this.mos = mos;
        this.rFactor = r;
        out.setLength(0);
        out.append('{');
        if (callId != null) text("call_id", callId).append(',');
        text("src_ip", srcIp).append(',');
        number("src_port", srcPort).append(',');
        text("dst_ip", dstIp).append(',');
        number("dst_port", dstPort).append(',');
        number("ssrc", s.ssrc()).append(',');
        number("payload_type", pt).append(',');
        text("codec", codec == null ? "" : codec).append(',');
        number("clock_rate", s.clockRate()).append(',');
        number("packets", s.packets()).append(',');
        number("expected", expected).append(',');
        number("lost", s.lost()).append(',');
        number("duplicates", s.duplicates()).append(',');
        number("out_of_order", s.outOfOrder()).append(',');
        number("dtmf_events", s.dtmfEvents()).append(',');
        number("silence_periods", s.silencePeriods()).append(',');
        number("bytes", s.bytes()).append(',');
        decimal("max_delta_ms", s.maxDeltaMs()).append(',');
        decimal("mean_delta_ms", s.meanDeltaMs()).append(',');
        decimal("mean_jitter_ms", s.meanJitterMs()).append(',');
        decimal("max_jitter_ms", s.maxJitterMs()).append(',');
        decimal("mos", mos).append(',');
        decimal("r_factor", r).append(',');
        out.append("\"delay_known\":").append(rttMs >= 0).append(',');
        if (rttMs >= 0) decimal("rtt_ms", rttMs).append(',');
        number("start", s.firstMicros()).append(',');
        number("end", s.lastMicros()).append(',');
        out.append("\"final\":").append(last).append(',');
        if (evicted) out.append("\"evicted\":true,");
        decimal("DELTA", s.maxDeltaMs()).append(',');
        decimal("JITTER", s.meanJitterMs()).append(',');
        decimal("MOS", mos).append(',');
        decimal("PACKET_LOSS", lossPercent);
        return out.append('}');
    }

    /** The MOS of the last report written (for HEP chunk 0x0020). */
    public double mos() {
        return mos;
    }

    /** The R-factor of the last report written (for HEP chunk 0x0021). */
    public double rFactor() {
        return rFactor;
    }

    private StringBuilder key(String k) {
        return out.append('"').append(k).append("\":");
    }

    private StringBuilder number(String k, long v) {
        return key(k).append(v);
    }

    /** Three decimals: Wireshark's precision for delta and jitter; enough for MOS and R. */
    private StringBuilder decimal(String k, double v) {
        long thousandths = Math.round(v * 1000);
        key(k);
        if (thousandths < 0) {
            out.append('-');
            thousandths = -thousandths;
        }
        out.append(thousandths / 1000).append('.');
        long frac = thousandths % 1000;
        if (frac < 100) out.append('0');
        if (frac < 10) out.append('0');
        return out.append(frac);
    }

    /** Addresses and codec names need no escaping beyond quote and backslash, which they never hold; both are escaped anyway. */
    private StringBuilder text(String k, String v) {
        key(k).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') out.append('\\');
            if (c >= 0x20) out.append(c);
        }
        return out.append('"');
    }
}
