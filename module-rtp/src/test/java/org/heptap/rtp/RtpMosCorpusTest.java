package org.heptap.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The E-model over rtp-quality.pcap's streams: a stream with more loss or jitter than another of
 * the same codec scores a lower MOS, the clean G.711 direction scores 4.3-4.5, and the clean
 * stream's own packets, thinned or delayed more and more, score lower and lower.
 */
class RtpMosCorpusTest {
    private record Scored(String key, EModel.Codec codec, double loss, double jitter, double mos) {}

    private static Scored score(String key, RtpStreamStats s) {
        EModel.Codec codec = EModel.Codec.forName(s.payloadTypes().name(s.payloadType()));
        return new Scored(key, codec, EModel.lossPercent(s), s.meanJitterMs(), EModel.mos(EModel.rFactor(s, -1)));
    }

    @Test
    void more_loss_or_jitter_than_another_stream_of_the_codec_scores_lower() throws Exception {
        List<Scored> streams = new ArrayList<>();
        for (Map.Entry<String, RtpStreamStats> e :
                RtpStreamStatsCorpusTest.analyse().entrySet()) {
            streams.add(score(e.getKey(), e.getValue()));
        }
        int compared = 0;
        for (Scored a : streams) {
            for (Scored b : streams) {
                if (a == b || a.codec() != b.codec()) continue;
                boolean worse = a.loss() >= b.loss()
                        && a.jitter() >= b.jitter()
                        && (a.loss() > b.loss() || a.jitter() > b.jitter());
                if (!worse) continue;
                assertTrue(a.mos() < b.mos(), a + " should score below " + b);
                compared++;
            }
        }
        // G.711 (loss and jitter vs clean), G.729 (loss burst vs duplicates only), Opus (jitter)
        assertTrue(compared >= 3, "pairs compared: " + compared + " of " + streams);
    }

    @Test
    void the_clean_g711_direction_scores_between_4_3_and_4_5() throws Exception {
        RtpStreamStats clean = RtpStreamStatsCorpusTest.analyse()
                .get(RtpStreamStatsCorpusTest.key("192.0.2.20", 50000, "192.0.2.10", 40000, 439025666L));
        assertEquals(0, clean.lost());
        double mos = EModel.mos(EModel.rFactor(clean, -1));
        assertTrue(mos >= 4.3 && mos <= 4.5, "MOS " + mos);
    }

    /** The clean stream's packets, every {@code dropEvery}-th left out and each delayed by up to {@code wobbleMicros}. */
    private static double mosOfCleanStream(int dropEvery, long wobbleMicros) throws Exception {
        byte[] sdp = "a=rtpmap:0 PCMU/8000\r\n".getBytes(StandardCharsets.US_ASCII);
        RtpStreamStats s = new RtpStreamStats();
        s.reset(439025666L, PayloadTypes.fromSdp(sdp, 0, sdp.length));
        RtpHeader h = new RtpHeader();
        int n = 0;
        for (CorpusRtp.Datagram d : CorpusRtp.read("rtp-quality.pcap")) {
            if (d.srcPort() != 50000 || d.dstPort() != 40000) continue;
            if (RtpHeaderParser.parse(d.payload(), 0, d.payload().length, h) != RtpResult.RTP) continue;
            n++;
            if (dropEvery > 0 && n % dropEvery == 0) continue;
            // alternate early and late: the arrival spacing varies by 2 x wobble
            s.add(h, d.micros() + (n % 2 == 0 ? wobbleMicros : 0), d.payload().length);
        }
        return EModel.mos(EModel.rFactor(s, -1));
    }

    @Test
    void the_clean_streams_mos_falls_as_its_loss_rises_and_as_its_jitter_rises() throws Exception {
        double last = Double.MAX_VALUE;
        for (int dropEvery : new int[] {0, 100, 50, 20, 10}) {
            double mos = mosOfCleanStream(dropEvery, 0);
            assertTrue(mos < last, "drop every " + dropEvery + ": MOS " + mos + " not below " + last);
            last = mos;
        }
        last = Double.MAX_VALUE;
        for (long wobble : new long[] {0, 2_000, 5_000, 10_000, 20_000}) {
            double mos = mosOfCleanStream(0, wobble);
            assertTrue(mos < last, "wobble " + wobble + " µs: MOS " + mos + " not below " + last);
            last = mos;
        }
    }
}
