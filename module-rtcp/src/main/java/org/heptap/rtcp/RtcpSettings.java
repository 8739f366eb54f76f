package org.heptap.rtcp;

import java.time.Duration;

/**
 * {@code modules.rtcp} settings.
 *
 * @param tableSize         most keys the correlation table holds; the least recently used is evicted
 * @param timeout           idle time after which a table entry expires (captagent: 80 s)
 * @param natMatching       match RTCP on port when the address differs, then learn SSRCs
 * @param xrInJson          append RFC 3611 XR blocks to parse_rtcp_to_json's document
 * @param rtcpxrReturnsZero is_rtcpxr/parse_rtcpxr_to_json return 0 on success, as captagent
 * @param byeGrace          how long a call's entries stay after its BYE (trailing RTCP); 0: drop at once
 */
public record RtcpSettings(
        int tableSize,
        Duration timeout,
        boolean natMatching,
        boolean xrInJson,
        boolean rtcpxrReturnsZero,
        Duration byeGrace) {
    public static RtcpSettings defaults() {
        return new RtcpSettings(262_144, Duration.ofSeconds(80), false, true, true, Duration.ofSeconds(5));
    }

    public RtcpSettings(
            int tableSize, Duration timeout, boolean natMatching, boolean xrInJson, boolean rtcpxrReturnsZero) {
        this(tableSize, timeout, natMatching, xrInJson, rtcpxrReturnsZero, Duration.ofSeconds(5));
    }
}
