package org.heptap.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.heptap.core.message.Message;
import org.heptap.core.spi.BindContext;
import org.heptap.core.spi.BoundCall;
import org.heptap.core.spi.PlanFunction;
import org.heptap.core.spi.Transport;
import org.heptap.sip.CallRoundTrips;
import org.heptap.sip.HeaderName;
import org.heptap.sip.Sdp;
import org.heptap.sip.SipField;
import org.heptap.sip.SipMessage;
import org.heptap.sip.SipSlot;

/**
 * The RTCP plan functions (capture-plan-language.md §4.2–4.4) and heptap's additions
 * ({@code parse_vqrtcpxr_to_json}, {@code send_rtpstat}). Return values are captagent's:
 * &gt;0 true, &lt;0 false, 0 stops the plan — which is why {@code is_rtcpxr} and
 * {@code parse_rtcpxr_to_json} return 0 on success only while
 * {@code modules.rtcp.rtcpxr-returns-zero} keeps captagent's behaviour.
 */
final class RtcpFunctions {
    static final int HEP_RTCP = 5;
    static final int HEP_MOS_FULL_REPORT = 34;
    static final int HEP_RTCPXR_REPORT = 99;
    /** HEP chunks heplify fills from RTCP-XR: MOS x 100 and R-factor (uint16 each). */
    static final int HEP_CHUNK_MOS = 0x0020;

    static final int HEP_CHUNK_R_FACTOR = 0x0021;

    private static final int TRUE = 1;
    private static final int FALSE = -1;

    private final RtcpSettings settings;
    private final CorrelationTable table;
    private final Counters counters;
    private final CallRoundTrips roundTrips;

    /** Module counters, shared by every socket's plan. */
    static final class Counters {
        final EnumMap<RtcpResult, LongAdder> rejected = new EnumMap<>(RtcpResult.class);
        final LongAdder converted = new LongAdder();
        final LongAdder noContent = new LongAdder();
        final LongAdder unmatched = new LongAdder();
        final LongAdder matched = new LongAdder();
        final LongAdder sdpRegistered = new LongAdder();
        final LongAdder vqReports = new LongAdder();
        final LongAdder vqFailed = new LongAdder();
        final LongAdder rtpStatReports = new LongAdder();
        final LongAdder rtpStatUnparsable = new LongAdder();

        Counters() {
            for (RtcpResult r : RtcpResult.values()) if (r != RtcpResult.OK) rejected.put(r, new LongAdder());
        }

        void reject(RtcpResult r) {
            rejected.get(r).increment();
        }

        Map<String, Long> snapshot() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("converted", converted.sum());
            m.put("matched", matched.sum());
            m.put("unmatched", unmatched.sum());
            m.put("no-content", noContent.sum());
            for (Map.Entry<RtcpResult, LongAdder> e : rejected.entrySet()) {
                long v = e.getValue().sum();
                if (v > 0 || e.getKey() == RtcpResult.TRUNCATED) {
                    m.put("malformed-" + e.getKey().name().toLowerCase().replace('_', '-'), v);
                }
            }
            m.put("sdp-streams-registered", sdpRegistered.sum());
            m.put("vq-reports", vqReports.sum());
            m.put("vq-failed", vqFailed.sum());
            m.put("rtpstat-reports", rtpStatReports.sum());
            m.put("rtpstat-unparsable", rtpStatUnparsable.sum());
            return m;
        }
    }

    RtcpFunctions(RtcpSettings settings, CorrelationTable table, Counters counters, CallRoundTrips roundTrips) {
        this.settings = settings;
        this.table = table;
        this.counters = counters;
        this.roundTrips = roundTrips;
    }

    List<PlanFunction> all() {
        List<PlanFunction> fs = new ArrayList<>();
        fs.add(PlanFunction.of("check_rtcp_ipport", 0, (a, c) -> this::checkRtcpIpPort));
        fs.add(PlanFunction.of("is_rtcp_exist", 0, (a, c) -> {
            table.markRead();
            return this::isRtcpExist;
        }));
        fs.add(PlanFunction.of("is_rtcp", 0, (a, c) -> RtcpFunctions::isRtcp));
        fs.add(PlanFunction.of("is_rtcp_or_rtp", 0, (a, c) -> RtcpFunctions::isRtcpOrRtp));
        fs.add(PlanFunction.of("set_rtcp_flag", 0, (a, c) -> m -> {
            m.setProtocolType(HEP_RTCP);
            return TRUE;
        }));
        fs.add(PlanFunction.of("parse_rtcp_to_json", 0, (a, c) -> bindParseToJson()));
        fs.add(PlanFunction.of("is_rtcpxr", 0, (a, c) -> bindIsRtcpxr(c)));
        fs.add(PlanFunction.of("parse_rtcpxr_to_json", 0, (a, c) -> bindParseRtcpxr(c)));
        fs.add(PlanFunction.of("parse_vqrtcpxr_to_json", 0, (a, c) -> bindVqReport()));
        fs.add(PlanFunction.of("send_rtpstat", 1, this::bindSendRtpStat));
        return fs;
    }

    // ------------------------------------------------------------------ correlation

    /** Registers every media stream of the current SIP message's SDP; always 1 (captagent). */
    private int checkRtcpIpPort(Message m) {
        if (!table.read()) return TRUE; // no plan reads the table (no RTCP socket)
        SipMessage s = SipSlot.parsed(m);
        if (s == null || !s.hasSdp() || !s.has(SipField.CALL_ID)) return TRUE;
        Sdp sdp = s.sdp();
        byte[] callId = null;
        for (int i = 0; i < sdp.mediaCount(); i++) {
            int port = sdp.rtcpPort(i);
            if (port == 0 || sdp.rtcpAddressLength(i) == 0) continue;
            if (callId == null) {
                // one copy per SDP message: the table outlives the packet buffer
                callId = new byte[s.length(SipField.CALL_ID)];
                System.arraycopy(s.buffer(), s.offset(SipField.CALL_ID), callId, 0, callId.length);
            }
            if (table.register(
                    sdp.buffer(),
                    sdp.rtcpAddressOffset(i),
                    sdp.rtcpAddressLength(i),
                    port,
                    callId,
                    m.timestampMicros())) {
                counters.sdpRegistered.increment();
            }
        }
        return TRUE;
    }

    private int isRtcpExist(Message m) {
        if (m.ipVersion() == 0) return FALSE;
        RtcpSlot slot = RtcpSlot.of(m);
        RtcpResult r = slot.parse(m);
        if (slot.countRejection()) counters.reject(r);
        RtcpCompound c = r == RtcpResult.OK ? slot.compound : null;
        byte[] callId = table.lookup(
                m.srcAddr(), m.dstAddr(), m.addrLength(), m.srcPort(), m.dstPort(), c, m.timestampMicros());
        if (callId == null) {
            counters.unmatched.increment();
            return FALSE;
        }
        counters.matched.increment();
        m.setCorrelationId(callId, 0, callId.length);
        if (c != null) {
            double rtt = RoundTrip.of(c, m.timestampMicros());
            // a string only for the reports that measured a round trip (one per few seconds per stream)
            if (rtt >= 0) roundTrips.put(utf8(callId, 0, callId.length), rtt);
        }
        return TRUE;
    }

    // ------------------------------------------------------------------ detection

    static int isRtcp(Message m) {
        if (m.payloadLength() == 0) return -1;
        byte[] b = m.payload();
        int o = m.payloadOffset();
        if (((b[o] & 0xff) >>> 6) != 2) return -2;
        if (m.payloadLength() < 2) return -3;
        int pt = b[o + 1] & 0xff;
        // SR, RR, SDES (captagent) and, since a report need not start with them (RFC 5506
        // reduced-size RTCP, a lone XR, APP or BYE), BYE, APP, RTPFB, PSFB and XR too
        return pt >= 200 && pt <= 207 ? TRUE : -3;
    }

    static int isRtcpOrRtp(Message m) {
        if (m.payloadLength() == 0) return -1;
        return ((m.payload()[m.payloadOffset()] & 0xff) >>> 6) == 2 ? TRUE : -2;
    }

    // ------------------------------------------------------------------ conversion

    private BoundCall bindParseToJson() {
        RtcpJsonWriter writer = new RtcpJsonWriter(settings.xrInJson());
        return m -> {
            RtcpSlot slot = RtcpSlot.of(m);
            RtcpResult r = slot.parse(m);
            if (r != RtcpResult.OK) {
                if (slot.countRejection()) counters.reject(r);
                return FALSE;
            }
            int n = writer.write(slot.compound);
            if (n == 0) {
                counters.noContent.increment();
                return FALSE;
            }
            m.setPayload(writer.buffer(), 0, n);
            m.setProtocolType(HEP_RTCP);
            attachQuality(slot.compound, m);
            counters.converted.increment();
            return TRUE;
        };
    }

    private BoundCall bindIsRtcpxr(BindContext ctx) {
        int ok = settings.rtcpxrReturnsZero() ? 0 : TRUE;
        if (ok == 0 && ctx.inCondition()) {
            ctx.warning("is_rtcpxr() returns 0 on success as in captagent, which stops the plan for genuine RTCP-XR; "
                    + "set modules.rtcp.rtcpxr-returns-zero: false to make it return 1");
        }
        return m -> {
            if (m.payloadLength() == 0) return -1;
            if (((m.payload()[m.payloadOffset()] & 0xff) >>> 6) != 2) return -2;
            RtcpSlot slot = RtcpSlot.of(m);
            if (slot.parse(m) != RtcpResult.OK) return -4;
            RtcpCompound c = slot.compound;
            for (int p = 0; p < c.packetCount(); p++) if (c.type(p) == RtcpCompound.XR) return ok;
            return -4;
        };
    }

    private BoundCall bindParseRtcpxr(BindContext ctx) {
        int ok = settings.rtcpxrReturnsZero() ? 0 : TRUE;
        if (ok == 0 && ctx.inCondition()) {
            ctx.warning("parse_rtcpxr_to_json() returns 0 on success as in captagent, which stops the plan; "
                    + "set modules.rtcp.rtcpxr-returns-zero: false to make it return 1");
        }
        RtcpJsonWriter writer = new RtcpJsonWriter(false);
        return m -> {
            RtcpSlot slot = RtcpSlot.of(m);
            RtcpResult r = slot.parse(m);
            if (r != RtcpResult.OK) return FALSE;
            RtcpCompound c = slot.compound;
            int n = writer.writeVoipMetrics(c);
            if (n == 0) return FALSE;
            if (!m.hasCorrelationId()) cnameAsCorrelation(c, m);
            m.setPayload(writer.buffer(), 0, n);
            m.setProtocolType(HEP_RTCP);
            attachQuality(c, m);
            return ok;
        };
    }

    /** The MOS and R-factor of the compound's VoIP-metrics block, for the HEP encoder's chunks. */
    static void attachQuality(RtcpCompound c, Message m) {
        int x = XrQuality.voipMetricsBlock(c);
        if (x < 0) return;
        int mos = XrQuality.mosTimes100(c, x);
        if (mos >= 0) m.addNumber(HEP_CHUNK_MOS, mos);
        int r = XrQuality.rFactor(c, x);
        if (r >= 0) m.addNumber(HEP_CHUNK_R_FACTOR, r);
    }

    /** captagent uses an SDES CNAME seen before the XR packet as correlation id. */
    private static void cnameAsCorrelation(RtcpCompound c, Message m) {
        for (int p = 0; p < c.packetCount() && c.type(p) != RtcpCompound.XR; p++) {
            if (c.type(p) != RtcpCompound.SDES) continue;
            for (int i = 0; i < c.sdesItemCount(p); i++) {
                if (c.sdesItemType(p, i) == 1 && c.sdesItemLength(p, i) > 0) {
                    m.setCorrelationId(c.buffer(), c.sdesItemOffset(p, i), c.sdesItemLength(p, i));
                    return;
                }
            }
        }
    }

    /**
     * An RFC 6035 PUBLISH (after parse_sip/parse_full_sip): the report body becomes JSON, HEP
     * type 99, correlated by the report's CallID (set by the SIP parse).
     */
    private BoundCall bindVqReport() {
        VqReportWriter writer = new VqReportWriter();
        return m -> {
            SipMessage s = SipSlot.parsed(m);
            if (s == null || s.bodyType() != SipMessage.BodyType.VQ_RTCPXR || !s.has(SipField.BODY)) return FALSE;
            int n = writer.write(s.buffer(), s.offset(SipField.BODY), s.length(SipField.BODY));
            if (n == 0) {
                counters.vqFailed.increment();
                return FALSE;
            }
            if (s.has(SipField.RTCPXR_CALL_ID)) {
                m.setCorrelationId(s.buffer(), s.offset(SipField.RTCPXR_CALL_ID), s.length(SipField.RTCPXR_CALL_ID));
            }
            m.setPayload(writer.buffer(), 0, n);
            m.setProtocolType(HEP_RTCPXR_REPORT);
            counters.vqReports.increment();
            return TRUE;
        };
    }

    // ------------------------------------------------------------------ end-of-call statistics

    private static final HeaderName[] STAT_HEADERS = new HeaderName[RtpStatWriter.HEADERS.length];

    static {
        for (int i = 0; i < STAT_HEADERS.length; i++) STAT_HEADERS[i] = HeaderName.of(RtpStatWriter.HEADERS[i]);
    }

    /**
     * {@code send_rtpstat(profile)}: after parse_sip, sends one HEP type-34 report per
     * end-of-call statistics header of the message to {@code profile}, correlated to the
     * Call-ID. The message itself is left as it was (payload, type, correlation id), so the plan
     * can go on to send the SIP. 1 when at least one report was sent, -1 otherwise.
     */
    private BoundCall bindSendRtpStat(List<String> args, BindContext ctx) {
        Transport transport = ctx.transport(args.get(0));
        if (transport == null) return null;
        RtpStatWriter writer = new RtpStatWriter();
        return m -> {
            SipMessage s = SipSlot.parsed(m);
            if (s == null || !s.has(SipField.CALL_ID)) return FALSE;
            byte[] payload = m.payload();
            int payloadOff = m.payloadOffset();
            int payloadLen = m.payloadLength();
            int type = m.protocolType();
            byte[] corr = m.correlationBuffer();
            int corrOff = m.correlationOffset();
            int corrLen = m.correlationLength();
            String carrier = null;
            int sent = 0;
            try {
                for (int h = 0; h < STAT_HEADERS.length; h++) {
                    for (int i = s.findHeader(STAT_HEADERS[h], 0); i >= 0; i = s.findHeader(STAT_HEADERS[h], i + 1)) {
                        if (carrier == null)
                            carrier = s.isRequest() ? s.method() : s.statusCode() + " " + s.cseqMethod();
                        int n = writer.write(
                                RtpStatWriter.HEADERS[h],
                                s.buffer(),
                                s.headerValueOffset(i),
                                s.headerValueLength(i),
                                carrier,
                                m.srcIpText() + ":" + m.srcPort());
                        if (n == 0) {
                            counters.rtpStatUnparsable.increment();
                            continue;
                        }
                        m.setPayload(writer.buffer(), 0, n);
                        m.setProtocolType(HEP_MOS_FULL_REPORT);
                        m.setCorrelationId(s.buffer(), s.offset(SipField.CALL_ID), s.length(SipField.CALL_ID));
                        if (transport.send(m)) sent++;
                        counters.rtpStatReports.increment();
                    }
                }
            } finally {
                m.setPayload(payload, payloadOff, payloadLen);
                m.setProtocolType(type);
                m.setCorrelationId(corr, corrOff, corrLen);
            }
            return sent > 0 ? TRUE : FALSE;
        };
    }

    static String utf8(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }
}
