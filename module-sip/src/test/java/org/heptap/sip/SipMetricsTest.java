package org.heptap.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.heptap.core.capture.ReplayPacer;
import org.heptap.core.capture.TestCorpus;
import org.heptap.core.config.Problems;
import org.heptap.core.metrics.MetricsEndpoint;
import org.heptap.core.pipeline.Agent;
import org.heptap.core.testing.TestConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * heplify's per-method and per-code SIP counters on /metrics, contributed by this module through
 * agent-core's module counters: a replayed capture is counted as tshark counted it (MANIFEST),
 * once per message however many parse functions the plan calls.
 */
class SipMetricsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sip-methods.pcap", "sip-udp-v4.pcap"})
    void requests_by_method_and_responses_by_code_match_tshark(String capture) throws Exception {
        // a socket name per capture keeps the two runs' series apart in the output
        String socket = "m-" + capture.replace(".pcap", "").replace('.', '-');
        Problems problems = new Problems();
        Agent agent = Agent.prepare(
                TestConfig.oneSocket(
                        dir,
                        socket,
                        "capture[pcap] { if (parse_sip()) { if (parse_full_sip()) { drop; } } }\n",
                        "",
                        TestConfig.SILENT_CONSOLE),
                problems);
        assertNotNull(agent, problems.errors()::toString);
        agent.runFile(TestCorpus.file(capture), ReplayPacer.max());
        agent.shutdown(Duration.ofSeconds(5));
        String text;
        try (MetricsEndpoint m = new MetricsEndpoint(agent)) {
            text = m.scrape();
        }
        assertTrue(text.contains("# HELP heptap_sip_requests_total SIP requests the socket's plan parsed"), text);
        assertTrue(text.contains("# HELP heptap_sip_responses_total SIP responses the socket's plan parsed"), text);

        Map<String, Object> manifest = TestCorpus.manifest(capture);
        @SuppressWarnings("unchecked")
        Map<String, Object> methods = (Map<String, Object>) manifest.get("requests_by_method");
        @SuppressWarnings("unchecked")
        Map<String, Object> codes = (Map<String, Object>) manifest.get("responses_by_code");
        Map<String, Long> wantMethods = new HashMap<>();
        methods.forEach((k, v) -> wantMethods.merge(
                Arrays.asList(SipTraffic.METHODS).contains(k) ? k : "other", TestCorpus.asLong(v), Long::sum));
        Map<String, Long> wantCodes = new HashMap<>();
        codes.forEach((k, v) -> {
            int code = Integer.parseInt(k);
            boolean own = Arrays.stream(SipTraffic.CODES).anyMatch(c -> c == code);
            wantCodes.merge(own ? k : (code / 100) + "xx", TestCorpus.asLong(v), Long::sum);
        });
        assertTrue(!wantMethods.isEmpty() && !wantCodes.isEmpty(), manifest::toString);
        long requests = 0;
        for (String method : SipTraffic.METHODS) {
            long got = value(text, "heptap_sip_requests_total{method=\"" + method + "\",socket=\"" + socket + "\"}");
            assertEquals(wantMethods.getOrDefault(method, 0L), got, method);
            requests += got;
        }
        assertEquals(
                wantMethods.getOrDefault("other", 0L),
                value(text, "heptap_sip_requests_total{method=\"other\",socket=\"" + socket + "\"}"));
        for (Map.Entry<String, Long> e : wantCodes.entrySet()) {
            assertEquals(
                    e.getValue(),
                    value(text, "heptap_sip_responses_total{code=\"" + e.getKey() + "\",socket=\"" + socket + "\"}"),
                    e.getKey());
        }
        long responses = text.lines()
                .filter(l -> l.startsWith("heptap_sip_responses_total{") && l.contains("socket=\"" + socket + "\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
        assertEquals(TestCorpus.asLong(manifest.get("sip_messages")), requests + responses, "every SIP message once");
    }

    private static long value(String text, String series) {
        for (String l : text.split("\n")) {
            if (l.startsWith(series + " "))
                return (long)
                        Double.parseDouble(l.substring(series.length() + 1).trim());
        }
        throw new AssertionError("no " + series + " in /metrics:\n" + text);
    }
}
