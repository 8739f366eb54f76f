package org.heptap.rtp;

import java.time.Duration;
import org.heptap.core.config.ConfigNode;

/**
 * {@code modules.rtp} settings.
 *
 * @param maxStreams   most streams analysed at once per socket; the oldest is evicted (counted)
 * @param maxEndpoints most SDP media endpoints remembered per socket; the oldest is evicted (counted)
 * @param interval     how often a stream's interim report ({@code "final": false}) is sent
 * @param rtpTimeout   a stream without a packet for this long has ended (final report)
 * @param byeGrace     after a call's BYE, how long its streams are still followed before their final reports
 * @param natMatching  match media on port when the SDP address differs (NAT), then by SSRC
 * @param handoffSize  SDP announcements waiting between the SIP and RTP threads; beyond, they are counted and dropped
 * @param holdWindow   RTP of a flow no SDP announced yet waits this long for one (0: not at all, counted unannounced)
 * @param holdPackets  of each such flow, its latest packets held at most
 * @param holdFlows    such flows held at once; beyond, the oldest is evicted (counted), its packets unannounced
 */
public record RtpSettings(
        int maxStreams,
        int maxEndpoints,
        Duration interval,
        Duration rtpTimeout,
        Duration byeGrace,
        boolean natMatching,
        int handoffSize,
        Duration holdWindow,
        int holdPackets,
        int holdFlows) {
    /**
     * Held packets at most over all flows: 20 bytes each, preallocated, so 1,048,576 is about
     * 20 MB of the agent's 64 MB heap.
     */
    static final long MAX_HELD = 1_048_576;

    /** 2 s covers the SIP-to-RTP hand-off and a late answer; 100 packets are 2 s of 20 ms audio. */
    static final Duration HOLD_WINDOW = Duration.ofSeconds(2);

    static final int HOLD_PACKETS = 100;
    static final int HOLD_FLOWS = 1_024;

    /** With early RTP held as by default. */
    public RtpSettings(
            int maxStreams,
            int maxEndpoints,
            Duration interval,
            Duration rtpTimeout,
            Duration byeGrace,
            boolean natMatching,
            int handoffSize) {
        this(
                maxStreams,
                maxEndpoints,
                interval,
                rtpTimeout,
                byeGrace,
                natMatching,
                handoffSize,
                HOLD_WINDOW,
                HOLD_PACKETS,
                HOLD_FLOWS);
    }

    public static RtpSettings defaults() {
        return new RtpSettings(
                16_384, 32_768, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5), false, 4_096);
    }

    /** Where a socket's early RTP waits for its SDP; null when {@code hold-window} is 0. */
    PendingRtp pending() {
        if (holdWindow.isZero()) return null;
        return new PendingRtp(holdFlows, holdPackets, holdWindow.toNanos() / 1000);
    }

    /** Reads {@code modules.rtp}, each wrong value reported at its line (the default is used instead). */
    static RtpSettings read(ConfigNode section) {
        RtpSettings d = defaults();
        int streams = (int) section.integer("max-streams", d.maxStreams(), 1, 4_194_304);
        int endpoints = (int) section.integer("max-endpoints", d.maxEndpoints(), 1, 4_194_304);
        Duration interval = atLeast(section, "interval", d.interval(), Duration.ofSeconds(1));
        Duration timeout = atLeast(section, "rtp-timeout", d.rtpTimeout(), Duration.ofSeconds(1));
        Duration grace = section.duration("bye-grace", d.byeGrace());
        boolean nat = section.bool("nat-matching", d.natMatching());
        int handoff = (int) section.integer("handoff-size", d.handoffSize(), 16, 1_048_576);
        Duration hold = section.duration("hold-window", d.holdWindow());
        if (hold.compareTo(Duration.ofMinutes(1)) > 0) {
            section.child("hold-window").error(section.child("hold-window").text() + " is too long (at most 60s)");
            hold = d.holdWindow();
        }
        int holdPackets = (int) section.integer("hold-packets", d.holdPackets(), 1, 10_000);
        int holdFlows = (int) section.integer("hold-flows", d.holdFlows(), 1, 1_048_576);
        if ((long) holdPackets * holdFlows > MAX_HELD) {
            section.child(section.has("hold-flows") ? "hold-flows" : "hold-packets")
                    .error("hold-flows x hold-packets is " + (long) holdFlows * holdPackets
                            + " packets held at most, more than " + MAX_HELD + " (20 bytes each)");
            holdPackets = d.holdPackets();
            holdFlows = d.holdFlows();
        }
        section.finish();
        return new RtpSettings(
                streams, endpoints, interval, timeout, grace, nat, handoff, hold, holdPackets, holdFlows);
    }

    private static Duration atLeast(ConfigNode section, String key, Duration def, Duration min) {
        Duration v = section.duration(key, def);
        if (v.compareTo(min) < 0) {
            section.child(key).error(section.child(key).text() + " is too short (at least " + min.toSeconds() + "s)");
            return def;
        }
        return v;
    }
}
