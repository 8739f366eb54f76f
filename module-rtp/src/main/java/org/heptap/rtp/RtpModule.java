package org.heptap.rtp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.message.Message;
import org.heptap.core.spi.ActiveCalls;
import org.heptap.core.spi.ActiveCallsCommand;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.CaptureFilterClause;
import org.heptap.core.spi.ControlCommand;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.ModuleHistogram;
import org.heptap.core.spi.ModuleMeters;
import org.heptap.core.spi.PlanFunction;
import org.heptap.sip.CallRoundTrips;
import org.heptap.sip.SipField;
import org.heptap.sip.SipMessage;
import org.heptap.sip.SipParseListeners;

/**
 * RTP stream analysis (HEP type 34 quality reports) for the media SIP's SDP announces.
 *
 * <p>Settings ({@code modules.rtp}), all optional:
 * <pre>
 * modules:
 *   rtp:
 *     max-streams: 16384      # streams analysed at once per socket; the oldest is evicted (counted)
 *     max-endpoints: 32768    # SDP media endpoints remembered per socket; the oldest is evicted (counted)
 *     interval: 10s           # interval reports ("final": false); at least 1s
 *     rtp-timeout: 30s        # a stream without packets for this long has ended; at least 1s
 *     bye-grace: 5s           # a call's streams still followed after its BYE
 *     nat-matching: false     # match on port when the SDP address differs (NAT), then learn SSRCs
 *     handoff-size: 4096      # SDP announcements waiting for the RTP socket; beyond, counted and dropped
 *     hold-window: 2s         # RTP no SDP announced yet waits this long for one (0s: counted at once)
 *     hold-packets: 100       # of each such flow, its latest packets held
 *     hold-flows: 1024        # such flows held at once; beyond, the oldest is evicted (counted)
 * </pre>
 * The SIP plans' parses announce media through the configuration's {@link SdpHandoff}; each socket
 * whose plan calls {@code analyse_rtp()} has an {@link RtpAnalyser} of its own.
 */
public final class RtpModule implements HeptapModule {
    /** The socket key that turns {@link #RTP_SHAPE} on. */
    public static final String RTP_FILTER_KEY = "rtp-filter";
    /**
     * UDP payload of at least 12 bytes, version 2, and a second byte that is not RTCP's (RFC 5761
     * §4: 192-223). libpcap's {@code udp[]} indexes IPv4 only, so IPv6 is tested at fixed offsets:
     * UDP right after the 40-byte fixed header (next header 17), payload from byte 48.
     */
    public static final String RTP_SHAPE = "(udp and ((ip and udp[4:2] >= 20 and udp[8] & 0xc0 = 0x80"
            + " and (udp[9] < 192 or udp[9] > 223))"
            + " or (ip6 and ip6[6] = 17 and ip6[44:2] >= 20 and ip6[48] & 0xc0 = 0x80"
            + " and (ip6[49] < 192 or ip6[49] > 223))))";

    private static final byte[] BYE = {'B', 'Y', 'E'};

    private RtpSettings settings = RtpSettings.defaults();
    private RtpQuality quality = new RtpQuality();
    private final Map<String, RtpAnalyser> analysers = new LinkedHashMap<>();
    private SdpHandoff handoff = new SdpHandoff();
    private CallRoundTrips roundTrips = new CallRoundTrips();
    private SipParseListeners sipListeners;
    private ActiveCalls activeCalls = new ActiveCalls();
    /** Counts each final report into the metrics endpoint's counters (see {@link #finalCounting}). */
    private Consumer<StreamQuality> finalCounter;
    /** The measured calls, for {@code heptapctl calls} (one object, so it is added once). */
    private final Supplier<List<ActiveCalls.Call>> activeSource = () -> activeCalls(quality.activeCalls());

    /** Every SDP offer or answer, and every BYE (or its response), goes to the RTP sockets. */
    private final SipParseListeners.Listener sdpListener = (m, sip) -> {
        SdpHandoff h = handoff;
        if (!h.wanted() || !sip.has(SipField.CALL_ID)) return;
        if (isBye(sip)) {
            h.publish(Announcement.bye(sip.callId(), m.timestampMicros()));
        } else if (sip.hasSdp()) {
            Announcement a = SdpAnnouncer.announcement(sip.sdp(), sip.callId(), m.timestampMicros());
            if (a != null) h.publish(a);
        }
    };

    @Override
    public String name() {
        return "rtp";
    }

    @Override
    public void configure(ConfigNode section, AgentContext agent) {
        settings = RtpSettings.read(section);
        handoff = SdpHandoff.of(agent);
        quality = RtpQuality.of(agent);
        activeCalls = ActiveCalls.of(agent);
        if (finalCounter != null) quality.removeFinalReportListener(finalCounter);
        finalCounter = finalCounting(agent.meters());
        quality.addFinalReportListener(finalCounter);
        roundTrips = CallRoundTrips.of(agent);
        if (sipListeners != null) sipListeners.remove(sdpListener);
        sipListeners = SipParseListeners.of(agent);
        sipListeners.add(sdpListener);
    }

    private static boolean isBye(SipMessage sip) {
        return sip.isRequest()
                ? sip.length(SipField.METHOD) == 3 && sip.startsWith(SipField.METHOD, BYE)
                : sip.length(SipField.CSEQ_METHOD) == 3 && sip.startsWith(SipField.CSEQ_METHOD, BYE);
    }

    /**
     * Buckets of {@code heptap_rtp_mos}: coarse below 3.5 (poor either way), fine above, where
     * codecs, loss and jitter move a stream by tenths (a clean G.711 stream scores 4.41).
     */
    static final double[] MOS_BUCKETS = {1.0, 2.0, 2.5, 3.0, 3.5, 3.8, 4.0, 4.1, 4.2, 4.3, 4.4, 4.5};

    /**
     * {@code heptap_rtp_streams_total} and {@code heptap_rtp_lost_packets_total}: the streams
     * analysed to their end and the packets they lost, counted at each final report, whose MOS
     * goes into the histogram {@code heptap_rtp_mos}.
     */
    static Consumer<StreamQuality> finalCounting(ModuleMeters meters) {
        LongAdder streams = meters.counter("heptap.rtp.streams", "RTP streams analysed to their end (final reports)");
        LongAdder lost = meters.counter(
                "heptap.rtp.lost.packets", "RTP packets lost (expected but not received) in streams that ended");
        ModuleHistogram mos = meters.histogram(
                "heptap.rtp.mos", "MOS (E-model, 1 to 4.5) of RTP streams at their final report", MOS_BUCKETS);
        return q -> {
            streams.increment();
            lost.add(Math.max(0, q.lost()));
            mos.record(q.mos());
        };
    }

    @Override
    public void close() {
        if (finalCounter != null) quality.removeFinalReportListener(finalCounter);
        if (sipListeners != null) sipListeners.remove(sdpListener);
    }

    public RtpSettings settings() {
        return settings;
    }

    /**
     * The streams being analysed and the final reports, for operators' views ({@code heptapctl},
     * metrics, console): see {@link RtpQuality}.
     */
    public RtpQuality quality() {
        return quality;
    }

    /** The analyser of a socket, made (and given its hand-off queue) when its plan first binds one. */
    synchronized RtpAnalyser analyser(String socket) {
        return analysers.computeIfAbsent(socket, s -> {
            RtpAnalyser a = new RtpAnalyser(s, settings, quality, roundTrips);
            activeCalls.addSource(activeSource);
            handoff.register(a.queue());
            return a;
        });
    }

    /** {@code heptapctl calls}, unless another module (the call ring) answers it and shows these calls. */
    @Override
    public List<ControlCommand> controlCommands() {
        ActiveCalls a = activeCalls;
        return a.commandClaimed() ? List.of() : List.of(new ActiveCallsCommand(a));
    }

    /** {@code calls} as the protocol-free rows of {@code heptapctl calls}. */
    static List<ActiveCalls.Call> activeCalls(List<CallQuality> calls) {
        List<ActiveCalls.Call> out = new ArrayList<>(calls.size());
        for (CallQuality c : calls) {
            List<ActiveCalls.Direction> dirs = new ArrayList<>(c.streams().size());
            for (StreamQuality q : c.streams())
                dirs.add(new ActiveCalls.Direction(
                        endpoint(q.srcIp(), q.srcPort()),
                        endpoint(q.dstIp(), q.dstPort()),
                        q.ssrc(),
                        q.codec(),
                        q.packets(),
                        q.lost(),
                        q.lossPercent(),
                        q.jitterMs(),
                        q.mos()));
            out.add(new ActiveCalls.Call(c.callId(), dirs));
        }
        return out;
    }

    /** {@code 192.0.2.10:40000}, {@code [2001:db8::1]:40000}. */
    static String endpoint(String ip, int port) {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }

    @Override
    public List<PlanFunction> functions() {
        return new RtpFunctions(this).all();
    }

    @Override
    public synchronized Map<String, Long> counters() {
        if (analysers.isEmpty()) return Map.of();
        Map<String, Long> c = new LinkedHashMap<>();
        for (RtpAnalyser a : analysers.values()) a.addCounters(c);
        return c;
    }

    /** {@link #RTP_SHAPE} on a decoded packet (a replay's filter): a UDP payload of at least 12 bytes, version 2, not RTCP. */
    static boolean rtpShaped(Message m) {
        if (m.ipProtocol() != Message.IP_PROTO_UDP || m.payloadLength() < 12) return false;
        byte[] p = m.payload();
        int o = m.payloadOffset();
        int second = p[o + 1] & 0xff;
        return (p[o] & 0xc0) == 0x80 && (second < 192 || second > 223);
    }

    /**
     * {@code rtp-filter: true}: only UDP datagrams shaped like RTP (see {@link #RTP_SHAPE}). Media
     * ports come from SDP at run time, so a capture filter cannot name them; this keeps RTCP and
     * other UDP out of userspace instead.
     */
    @Override
    public List<CaptureFilterClause> captureFilterClauses() {
        return List.of(CaptureFilterClause.of(RTP_FILTER_KEY, RTP_SHAPE, RtpModule::rtpShaped));
    }
}
