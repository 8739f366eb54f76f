package org.heptap.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateSamplesTest {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void keepsOneWindowOfSamplesAndNoMore() throws Exception {
        RateSamples r = new RateSamples(Duration.ofSeconds(10), Duration.ofMinutes(15));
        try (WebTestAgent a = WebTestAgent.start(dir, "")) {
            for (int i = 0; i < 500; i++) r.add(i * 10_000L, org.heptap.core.ledger.LossLedger.of(a.agent));
        }
        assertEquals(15 * 6 + 1, r.size());
        @SuppressWarnings("unchecked")
        List<RateSamples.Sample> samples = (List<RateSamples.Sample>) r.toMap().get("samples");
        assertEquals(409 * 10_000L, samples.get(0).millis(), "the oldest are dropped first");
        assertEquals(
                Map.of("captured", 0L, "decoded", 0L, "plan-sent", 0L),
                samples.get(0).sockets().get("sip"));
        assertEquals(
                Map.of("sent", 0L, "queued", 0L, "dropped", 0L),
                samples.get(0).transports().get("out"));
    }
}
