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
 */
public record RtpSettings(
        int maxStreams,
        int maxEndpoints,
        Duration interval,
        Duration rtpTimeout,
        Duration byeGrace,
        boolean natMatching,
        int handoffSize) {

    public static RtpSettings defaults() {
        return new RtpSettings(
                16_384, 32_768, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5), false, 4_096);
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
        section.finish();
        return new RtpSettings(streams, endpoints, interval, timeout, grace, nat, handoff);
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
