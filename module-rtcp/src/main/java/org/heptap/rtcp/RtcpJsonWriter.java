package org.heptap.rtcp;

/**
 * Writes the RTCP JSON document HOMER expects (rtcp-json.md §2): captagent's fragment sequence,
 * byte for byte, for SR, RR and SDES, with two documented deviations: SDES text is JSON-escaped,
 * and (unless disabled) RFC 3611 XR blocks are appended as {@code "report_blocks_xr":[…]} so a
 * phone's VoIP metrics reach HOMER too (captagent ignores PT 207 here).
 *
 * <p>Packet types captagent does not write go in an array named after the type, one object per
 * packet, after the SR/RR/SDES fragments: {@code "bye":[{"ssrcs":[…],"reason":"…"}]},
 * {@code "app":[{"ssrc","subtype","name","data_length"}]} and
 * {@code "feedback":[{"type","fmt","ssrc","media_ssrc","fci_length"}]} (RTPFB 205 and PSFB 206).
 * A compound that does not start with SR or RR (reduced-size RTCP, RFC 5506, or a lone XR, APP or
 * BYE) and has no report block opens with {@code "ssrc"} and {@code "type"} of its first packet,
 * as an SR/RR report does.
 *
 * <p>One writer per plan call site (a plan runs on one thread), reusing its buffer: the
 * document is valid until the next packet, which is as long as a payload has to live.
 */
public final class RtcpJsonWriter {
    private final JsonBuffer out = new JsonBuffer();
    private final boolean xrBlocks;

    public RtcpJsonWriter(boolean xrBlocks) {
        this.xrBlocks = xrBlocks;
    }

    public byte[] buffer() {
        return out.bytes();
    }

    /**
     * Writes the document for a validated compound. Returns its length, or 0 when the compound
     * holds nothing to report (an RR without blocks, only unknown packet types, XR alone with XR
     * blocks disabled) or the text would be too large.
     */
    public int write(RtcpCompound c) {
        out.clear();
        out.ascii("{ ");
        if (!startsWithReport(c))
            out.key("ssrc").num(c.ssrc(0)).next("type", c.type(0)).ch(',');
        int before = out.length();
        for (int p = 0; p < c.packetCount(); p++) {
            switch (c.type(p)) {
                case RtcpCompound.SR -> {
                    out.ascii("\"sender_information\":{")
                            .key("ntp_timestamp_sec")
                            .num(c.ntpSeconds(p))
                            .next("ntp_timestamp_usec", c.ntpFraction(p))
                            .next("octets", c.senderOctets(p))
                            .next("rtp_timestamp", c.rtpTimestamp(p))
                            .ascii(", ")
                            .key("packets")
                            .num(c.senderPackets(p))
                            .ascii("},");
                    if (c.countField(p) > 0) report(c, p);
                }
                case RtcpCompound.RR -> {
                    if (c.countField(p) > 0) report(c, p);
                }
                case RtcpCompound.SDES -> sdes(c, p);
                default -> {}
            }
        }
        perPacket(c, "bye", RtcpCompound.BYE, RtcpCompound.BYE);
        perPacket(c, "app", RtcpCompound.APP, RtcpCompound.APP);
        perPacket(c, "feedback", RtcpCompound.RTPFB, RtcpCompound.PSFB);
        if (xrBlocks && c.xrBlockCount() > 0) xr(c);
        if (out.overflowed() || out.length() == before) return 0;
        // every fragment ends in ',': it becomes the closing brace
        out.setLength(out.length() - 1);
        out.ch('}');
        return out.overflowed() ? 0 : out.length();
    }

    private void report(RtcpCompound c, int p) {
        out.key("ssrc")
                .num(c.ssrc(p))
                .next("type", c.type(p))
                .ascii(", \"report_blocks\":[{")
                .key("source_ssrc")
                .num(c.blockSsrc(p, 0))
                .next("highest_seq_no", c.blockHighestSeq(p, 0))
                .next("fraction_lost", c.blockFractionLost(p, 0))
                .next("ia_jitter", c.blockJitter(p, 0))
                .next("packets_lost", c.blockCumulativeLost(p, 0))
                .next("lsr", c.blockLsr(p, 0))
                .next("dlsr", c.blockDlsr(p, 0))
                .ascii("}],\"report_count\":1,");
    }

    private void sdes(RtcpCompound c, int p) {
        long ssrc = c.packetSize(p) >= 8 && c.countField(p) > 0 ? c.ssrc(p) : 0;
        out.key("sdes_ssrc")
                .num(ssrc)
                .next("sdes_report_count", c.countField(p))
                .ch(',')
                .key("sdes_information")
                .ch('[');
        for (int i = 0; i < c.sdesItemCount(p); i++) {
            if (i > 0) out.ch(',');
            out.ch('{')
                    .key("type")
                    .num(c.sdesItemType(p, i))
                    .ch(',')
                    .key("text")
                    .string(c.buffer(), c.sdesItemOffset(p, i), c.sdesItemLength(p, i))
                    .ch('}');
        }
        out.ascii("],");
    }

    /**
     * Whether the compound starts with SR or RR (RFC 3550 §6.1) or has a report block anyway,
     * which then writes the {@code "ssrc"} and {@code "type"} keys.
     */
    private static boolean startsWithReport(RtcpCompound c) {
        if (c.packetCount() == 0) return true;
        for (int p = 0; p < c.packetCount(); p++) {
            int t = c.type(p);
            if ((t == RtcpCompound.SR || t == RtcpCompound.RR) && (p == 0 || c.countField(p) > 0)) return true;
        }
        return false;
    }

    /** {@code "key":[{…},…],} with one object per packet of type {@code a} or {@code b}; nothing when there is none. */
    private void perPacket(RtcpCompound c, String key, int a, int b) {
        int n = 0;
        for (int p = 0; p < c.packetCount(); p++) {
            int t = c.type(p);
            if (t != a && t != b) continue;
            if (n++ == 0) out.key(key).ch('[');
            else out.ch(',');
            out.ch('{');
            switch (t) {
                case RtcpCompound.BYE -> bye(c, p);
                case RtcpCompound.APP ->
                    out.key("ssrc")
                            .num(c.ssrc(p))
                            .next("subtype", c.countField(p))
                            .ch(',')
                            .key("name")
                            .string(c.buffer(), c.appNameOffset(p), 4)
                            .next("data_length", c.appDataLength(p));
                default ->
                    out.key("type")
                            .num(t)
                            .next("fmt", c.countField(p))
                            .next("ssrc", c.ssrc(p))
                            .next("media_ssrc", c.feedbackMediaSsrc(p))
                            .next("fci_length", c.feedbackFciLength(p));
            }
            out.ch('}');
        }
        if (n > 0) out.ascii("],");
    }

    private void bye(RtcpCompound c, int p) {
        out.key("ssrcs").ch('[');
        for (int i = 0; i < c.countField(p); i++) {
            if (i > 0) out.ch(',');
            out.num(c.byeSsrc(p, i));
        }
        out.ch(']');
        int reason = c.byeReasonOffset(p);
        if (reason >= 0) out.ch(',').key("reason").string(c.buffer(), reason, c.byeReasonLength(p));
    }

    private void xr(RtcpCompound c) {
        out.key("report_blocks_xr").ch('[');
        for (int x = 0; x < c.xrBlockCount(); x++) {
            if (x > 0) out.ch(',');
            int bt = c.xrBlockType(x);
            out.ch('{').key("block_type").num(bt).next("ssrc", c.ssrc(c.xrBlockPacket(x)));
            switch (bt) {
                case RtcpCompound.XR_LOSS_RLE, RtcpCompound.XR_DUP_RLE ->
                    out.next("source_ssrc", c.xrU32(x, 4))
                            .next("thinning", c.xrU8(x, 1) & 0x0f)
                            .next("begin_seq", c.xrU16(x, 8))
                            .next("end_seq", c.xrU16(x, 10))
                            .next("chunks", (c.xrBlockLength(x) - 12) / 2);
                case RtcpCompound.XR_STAT_SUMMARY -> voipFields(c, x, STAT_SUMMARY, 0, ",", false);
                case RtcpCompound.XR_VOIP_METRICS -> voipMetrics(c, x);
                default -> {}
            }
            out.ch('}');
        }
        out.ascii("],");
    }

    /**
     * A field of an RFC 3611 report block (VoIP metrics, statistics summary): its key as heplify
     * names it, as captagent names it, its offset in the block and its width in bytes (negative: a
     * signed byte).
     */
    private record VoipField(String key, String captagentKey, int offset, int width) {
        long read(RtcpCompound c, int x) {
            return switch (width) {
                case -1 -> (byte) c.xrU8(x, offset);
                case 1 -> c.xrU8(x, offset);
                case 2 -> c.xrU16(x, offset);
                default -> c.xrU32(x, offset);
            };
        }
    }

    /** RFC 3611 §4.6 statistics summary (no captagent document: its key unused). */
    private static final VoipField[] STAT_SUMMARY = {
        new VoipField("source_ssrc", null, 4, 4),
        new VoipField("begin_seq", null, 8, 2),
        new VoipField("end_seq", null, 10, 2),
        new VoipField("lost_packets", null, 12, 4),
        new VoipField("dup_packets", null, 16, 4),
        new VoipField("min_jitter", null, 20, 4),
        new VoipField("max_jitter", null, 24, 4),
        new VoipField("mean_jitter", null, 28, 4),
        new VoipField("dev_jitter", null, 32, 4)
    };

    /** The fields before the MOS values, in block order. */
    private static final VoipField[] VOIP_HEAD = {
        new VoipField("source_ssrc", "identifier", 4, 4),
        new VoipField("loss_rate", "loss_rate", 8, 1),
        new VoipField("discard_rate", "discard_rate", 9, 1),
        new VoipField("burst_density", "burst_rate", 10, 1),
        new VoipField("gap_density", "gap_rate", 11, 1),
        new VoipField("burst_duration", "burst_duration", 12, 2),
        new VoipField("gap_duration", "gap_duration", 14, 2),
        new VoipField("round_trip_delay", "round_trip_delay", 16, 2),
        new VoipField("end_system_delay", "end_sys_delay", 18, 2),
        new VoipField("signal_level", "signal_lev", 20, -1),
        new VoipField("noise_level", "noise_lev", 21, -1),
        new VoipField("rerl", "RERL", 22, 1),
        new VoipField("gmin", "Gmin", 23, 1),
        new VoipField("r_factor", "R_fact", 24, 1),
        new VoipField("ext_r_factor", "ext_R_fact", 25, 1)
    };
    /** The jitter buffer fields after the receiver configuration byte. */
    private static final VoipField[] VOIP_JITTER_BUFFER = {
        new VoipField("jb_nominal", "JB_nom", 30, 2),
        new VoipField("jb_maximum", "JB_max", 32, 2),
        new VoipField("jb_abs_max", "JB_abs_max", 34, 2)
    };

    private static final int MOS_LQ = 26;
    private static final int MOS_CQ = 27;
    private static final int RX_CONFIG = 28;

    /**
     * {@code fields} of block {@code x} from index {@code from}, each preceded by {@code
     * separator}, under heplify's or captagent's keys.
     */
    private void voipFields(RtcpCompound c, int x, VoipField[] fields, int from, String separator, boolean captagent) {
        for (int i = from; i < fields.length; i++) {
            VoipField f = fields[i];
            out.ascii(separator).key(captagent ? f.captagentKey() : f.key()).num(f.read(c, x));
        }
    }

    /** RFC 3611 §4.7 VoIP metrics, keys as heplify names them; MOS as value/10. */
    private void voipMetrics(RtcpCompound c, int x) {
        voipFields(c, x, VOIP_HEAD, 0, ",", false);
        out.ch(',').key("mos_lq");
        tenth(c.xrU8(x, MOS_LQ));
        out.ch(',').key("mos_cq");
        tenth(c.xrU8(x, MOS_CQ));
        out.next("rx_config", c.xrU8(x, RX_CONFIG));
        voipFields(c, x, VOIP_JITTER_BUFFER, 0, ",", false);
    }

    private void tenth(int v) {
        out.num(v / 10).ch('.').num(v % 10);
    }

    /**
     * captagent's {@code parse_rtcpxr_to_json} document for the first VoIP-metrics block (with
     * its bugs fixed: valid JSON, big-endian durations, signed levels). Returns the length, or 0
     * when the compound has no VoIP-metrics block.
     */
    public int writeVoipMetrics(RtcpCompound c) {
        out.clear();
        int x = XrQuality.voipMetricsBlock(c);
        if (x < 0) return 0;
        int rx = c.xrU8(x, RX_CONFIG);
        out.ascii("{\"Extended_report_information\":{");
        // captagent's document starts without a separator
        out.key(VOIP_HEAD[0].captagentKey()).num(VOIP_HEAD[0].read(c, x));
        voipFields(c, x, VOIP_HEAD, 1, ", ", true);
        out.ascii(", ")
                .key("MOS_LQ")
                .num(c.xrU8(x, MOS_LQ))
                .ascii(", ")
                .key("MOS_CQ")
                .num(c.xrU8(x, MOS_CQ))
                .ascii(", \"RX_conf\":[{")
                .key("PLC")
                .num(rx >> 6)
                .ascii(", ")
                .key("JB_adapt")
                .num((rx >> 4) & 3)
                .ascii(", ")
                .key("JB_rate")
                .num(rx & 15)
                .ascii("}]");
        voipFields(c, x, VOIP_JITTER_BUFFER, 0, ", ", true);
        out.ascii("}}");
        return out.overflowed() ? 0 : out.length();
    }

    /** The last document, for tests and logs. */
    public String text() {
        return out.toString();
    }
}
