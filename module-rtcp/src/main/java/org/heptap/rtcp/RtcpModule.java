package org.heptap.rtcp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.message.Message;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.CaptureFilterClause;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.PlanFunction;
import org.heptap.sip.CallRoundTrips;
import org.heptap.sip.SipField;
import org.heptap.sip.SipParseListeners;

/**
 * RTCP and call quality: RTCP ↔ Call-ID correlation, RTCP → JSON (HEP type 5), RTCP-XR,
 * RFC 6035 vq-rtcpxr reports (HEP type 99) and end-of-call statistics headers (HEP type 34).
 *
 * <p>Settings ({@code modules.rtcp}), all optional:
 * <pre>
 * modules:
 *   rtcp:
 *     table-size: 262144      # most streams/SSRCs remembered; least recently used evicted (counted)
 *     timeout: 80s            # idle time after which a stream is forgotten
 *     nat-matching: false     # match on port when addresses differ (NAT), then learn SSRCs
 *     xr-in-json: true        # add RTCP-XR blocks to parse_rtcp_to_json's document
 *     rtcpxr-returns-zero: true  # is_rtcpxr/parse_rtcpxr_to_json return 0 on success (captagent)
 * </pre>
 * One correlation table per agent: the SIP socket's plan fills it, the RTCP socket's plan reads it.
 */
public final class RtcpModule implements HeptapModule {
    /** The socket key that turns {@link #RTCP_SHAPE} on. */
    public static final String RTCP_FILTER_KEY = "rtcp-filter";
    /**
     * UDP payload byte 0 has version 2, byte 1 is an RTCP packet type (SR..XR). libpcap's
     * {@code udp[]} indexes IPv4 only, so IPv6 is tested at fixed offsets: UDP right after the
     * 40-byte fixed header (next header 17), payload from byte 48.
     */
    public static final String RTCP_SHAPE =
            "(udp and ((ip and udp[8] & 0xc0 = 0x80 and udp[9] >= 200 and udp[9] <= 207)"
                    + " or (ip6 and ip6[6] = 17 and ip6[48] & 0xc0 = 0x80 and ip6[49] >= 200 and ip6[49] <= 207)))";

    private RtcpSettings settings = RtcpSettings.defaults();
    private volatile CorrelationTable table;
    private final RtcpFunctions.Counters counters = new RtcpFunctions.Counters();
    /** The SIP parse listeners of the configuration this module belongs to (null until configured). */
    private SipParseListeners sipListeners;
    /** Where the round trips of correlated reports go, for the RTP analysis's E-model. */
    private CallRoundTrips roundTrips = new CallRoundTrips();

    @Override
    public String name() {
        return "rtcp";
    }

    @Override
    public void configure(ConfigNode section, AgentContext agent) {
        RtcpSettings d = RtcpSettings.defaults();
        int size = (int) section.integer("table-size", d.tableSize(), 16, 16_777_216);
        Duration timeout = section.duration("timeout", d.timeout());
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            section.child("timeout").error("must be at least 1s");
            timeout = d.timeout();
        }
        boolean nat = section.bool("nat-matching", d.natMatching());
        boolean xr = section.bool("xr-in-json", d.xrInJson());
        boolean zero = section.bool("rtcpxr-returns-zero", d.rtcpxrReturnsZero());
        Duration grace = section.duration("bye-grace", d.byeGrace());
        section.finish();
        settings = new RtcpSettings(size, timeout, nat, xr, zero, grace);
        table = null;
        if (sipListeners != null) sipListeners.remove(byeListener);
        sipListeners = SipParseListeners.of(agent);
        sipListeners.add(byeListener);
        roundTrips = CallRoundTrips.of(agent);
    }

    /** A BYE, or a response to one, ends the call's correlation entries (after bye-grace). */
    private final SipParseListeners.Listener byeListener = (m, sip) -> {
        CorrelationTable t = table;
        if (t == null || !t.read() || !sip.has(SipField.CALL_ID)) return;
        boolean bye = sip.isRequest()
                ? sip.length(SipField.METHOD) == 3 && sip.startsWith(SipField.METHOD, BYE)
                : sip.length(SipField.CSEQ_METHOD) == 3 && sip.startsWith(SipField.CSEQ_METHOD, BYE);
        if (bye)
            t.callEnded(sip.buffer(), sip.offset(SipField.CALL_ID), sip.length(SipField.CALL_ID), m.timestampMicros());
    };

    private static final byte[] BYE = {'B', 'Y', 'E'};

    @Override
    public void close() {
        if (sipListeners != null) sipListeners.remove(byeListener);
    }

    public RtcpSettings settings() {
        return settings;
    }

    /** The agent's correlation table (created with the settings on first use). */
    public synchronized CorrelationTable table() {
        if (table == null) {
            table = new CorrelationTable(
                    settings.tableSize(),
                    settings.timeout().toNanos() / 1000,
                    settings.natMatching(),
                    settings.byeGrace().toNanos() / 1000);
        }
        return table;
    }

    @Override
    public List<PlanFunction> functions() {
        return new RtcpFunctions(settings, table(), counters, roundTrips).all();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>(counters.snapshot());
        c.putAll(table().counters());
        return c;
    }

    /** {@link #RTCP_SHAPE} on a decoded packet (a replay's filter): UDP, version 2, a packet type 200-207. */
    static boolean rtcpShaped(Message m) {
        if (m.ipProtocol() != Message.IP_PROTO_UDP || m.payloadLength() < 2) return false;
        byte[] p = m.payload();
        int o = m.payloadOffset();
        int type = p[o + 1] & 0xff;
        return (p[o] & 0xc0) == 0x80 && type >= 200 && type <= 207;
    }

    /**
     * {@code rtcp-filter: true}: only UDP datagrams shaped like RTCP (version 2 and a packet type
     * 200-207 in the first two payload bytes). RTCP ports are learnt from SDP at run time, so a
     * capture filter cannot name them; this keeps RTP and other UDP out of userspace instead.
     */
    @Override
    public List<CaptureFilterClause> captureFilterClauses() {
        return List.of(CaptureFilterClause.of(RTCP_FILTER_KEY, RTCP_SHAPE, RtcpModule::rtcpShaped));
    }

    /** captagent's Redis-backed correlation, which heptap replaces by its own table. */
    @Override
    public java.util.Set<String> declinedFunctions() {
        return java.util.Set.of("check_redis_rtcp_ipport", "is_redis_rtcp_exist");
    }
}
