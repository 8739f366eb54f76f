package org.heptap.rtcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Arbitrary bytes through the RTCP parser, every accessor the JSON writers use, the XR
 * VoIP-metrics writer, and the vq-rtcpxr and statistics-header writers: no exception, no hang,
 * and every document written is within the writer's buffer. Without {@code JAZZER_FUZZ} this
 * replays the seeds in {@code RtcpParserFuzzTestInputs/parse/}.
 */
class RtcpParserFuzzTest {
    private final RtcpCompound compound = new RtcpCompound();
    private final RtcpJsonWriter writer = new RtcpJsonWriter(true);
    private final VqReportWriter vq = new VqReportWriter();
    private final RtpStatWriter stat = new RtpStatWriter();
    private final CorrelationTable table = new CorrelationTable(64, 80_000_000L, true);

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] data) {
        for (int start = 0; start <= Math.min(1, data.length); start++) {
            RtcpResult r = RtcpParser.parse(data, start, data.length - start, compound);
            if (r == RtcpResult.OK) {
                int n = writer.write(compound);
                assertTrue(n >= 0 && n <= writer.buffer().length);
                writer.writeVoipMetrics(compound);
                table.lookup(new byte[4], new byte[4], 4, 1, 2, compound, 0);
            }
        }
        vq.write(data, 0, data.length);
        stat.write("X-RTP-Stat", data, 0, data.length, "BYE", "192.0.2.1:5060");
        table.register(data, 0, Math.min(data.length, 40), 5000, new byte[] {'x'}, 1);
    }
}
