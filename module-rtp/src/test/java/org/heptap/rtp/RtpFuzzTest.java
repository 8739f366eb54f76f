package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Arbitrary bytes as a sequence of datagrams (each a 1-byte length, then that many bytes, then a
 * 1-byte arrival step in ms) through the RTP header parser and one stream's statistics, with the
 * input also read as SDP rtpmap lines: no exception, no hang, and the figures stay consistent
 * (every RTP datagram counted, lost never negative, duplicates and reordering within the
 * packets, delta and jitter finite and non-negative), and the stream's report is written. Without {@code JAZZER_FUZZ} this replays
 * the seeds in {@code RtpFuzzTestInputs/analyse/}.
 */
class RtpFuzzTest {
    private final RtpHeader header = new RtpHeader();
    private final RtpStreamStats stats = new RtpStreamStats();
    private final RtpReportWriter report = new RtpReportWriter();

    @FuzzTest(maxDuration = "10s")
    void analyse(byte[] data) {
        stats.reset(1, PayloadTypes.fromSdp(data, 0, data.length));
        long micros = 0;
        long rtp = 0;
        int pos = 0;
        while (pos < data.length) {
            int len = Math.min(data[pos++] & 0xff, data.length - pos);
            RtpResult r = RtpHeaderParser.parse(data, pos, len, header);
            if (r == RtpResult.RTP) {
                assertTrue(header.payloadOffset() + header.payloadLength() + header.paddingLength() == pos + len);
                stats.add(header, micros, len);
                rtp++;
            }
            pos += len;
            if (pos < data.length) micros += 1000L * (data[pos++] & 0xff);
        }
        assertEquals(rtp, stats.packets());
        assertTrue(stats.lost() >= 0 && stats.duplicates() + stats.outOfOrder() <= Math.max(0, rtp - 1));
        for (double v : new double[] {
            stats.maxDeltaMs(), stats.meanDeltaMs(), stats.jitterMs(), stats.maxJitterMs(), stats.meanJitterMs()
        }) {
            assertTrue(Double.isFinite(v) && v >= 0, "figure " + v);
        }
        CharSequence doc = report.write(stats, "192.0.2.1", 1, "192.0.2.2", 2, -1, true);
        assertTrue(doc.charAt(0) == '{' && doc.charAt(doc.length() - 1) == '}');
    }
}
