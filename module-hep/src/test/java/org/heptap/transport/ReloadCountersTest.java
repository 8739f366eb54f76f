package org.heptap.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heptap.core.capture.ReplayPacer;
import org.heptap.core.capture.TestCorpus;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.Problems;
import org.heptap.core.ledger.LossLedger;
import org.heptap.core.pipeline.Agent;
import org.heptap.core.testing.CapturedLog;
import org.heptap.core.testing.TestConfig;
import org.heptap.core.testing.UdpReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload rebuilds every transport; what the old instance sent must still show in the final
 * per-transport line at stop, which must say what the loss ledger says.
 */
@Timeout(60)
class ReloadCountersTest {
    @TempDir
    Path dir;

    private AgentConfig config(int port) throws Exception {
        return TestConfig.oneSocket(
                dir, "sip", "capture[pcap] { send_hep(\"hep\"); }\n", "", """
                hep:
                  type: hep
                  host: 127.0.0.1
                  port: PORT
                """.replace("PORT", Integer.toString(port)));
    }

    @Test
    void the_final_transport_line_after_a_reload_says_what_the_ledger_says() throws Exception {
        try (CapturedLog log = CapturedLog.of(Agent.class);
                UdpReceiver rx = new UdpReceiver("127.0.0.1")) {
            Problems problems = new Problems();
            Agent agent = Agent.prepare(config(rx.port()), problems);
            assertNotNull(agent, problems.errors()::toString);
            agent.runFile(TestCorpus.file("sip-udp-v4.pcap"), ReplayPacer.max());
            assertEquals(140, rx.await(140, 10_000));
            assertTrue(agent.reload(config(rx.port()), problems), problems.errors()::toString);
            agent.shutdown(Duration.ofSeconds(5));
            LossLedger ledger = LossLedger.of(agent);
            assertEquals(140, ledger.transport("hep").get("sent"), ledger.toText());
            String fin = log.messages().stream()
                    .filter(l -> l.startsWith("transport hep: sent"))
                    .reduce((a, b) -> b)
                    .orElse("");
            Matcher m =
                    Pattern.compile("transport hep: sent (\\d+), bytes (\\d+)").matcher(fin);
            assertTrue(m.find(), "final transport line: " + log.messages());
            assertEquals(ledger.transport("hep").get("sent"), Long.parseLong(m.group(1)), fin);
            assertEquals(ledger.transport("hep").get("bytes"), Long.parseLong(m.group(2)), fin);
        }
    }
}
