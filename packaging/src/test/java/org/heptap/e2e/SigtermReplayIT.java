package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM during a paced replay (issue 7, acceptance 5): every message read before the signal is
 * either at hep-sink or counted as unsent in the final ledger line, and the ledger's {@code sent}
 * is what hep-sink received.
 */
@Offline
class SigtermReplayIT {
    private static final String CAPTURE = "sip-udp-v4.pcap"; // 140 SIP messages over 1.96 s, ports 5061/5062
    private static final Pattern LEDGER = Pattern.compile(
            "ledger: captured (\\d+) frames(?: \\([^)]*\\))?, sent (\\d+) messages(?: \\([^)]*\\))?, unsent (\\d+)(?: \\(([^)]*)\\))?; (balanced|DOES NOT BALANCE)");

    @Test
    void sigterm_mid_replay_accounts_for_every_message_read(@TempDir Path dir) throws Exception {
        int total = Env.manifestEntry(CAPTURE).get("sip_messages").asInt();
        try (HepSink sink = HepSink.startUdp()) {
            // one socket, one transport: each frame is one SIP message offered once
            Path yaml = Env.oneSocketConfig(dir, """
                    capture[pcap] {
                        if (parse_sip()) {
                            send_hep("sink");
                        }
                        drop;
                    }
                    """, """
                    sink:
                      type: hep
                      host: 127.0.0.1
                      port: %d
                    """.formatted(sink.udpPort));
            // a tenth of real speed: the replay takes ~20 s, the signal comes a few seconds in
            try (Proc agent = Proc.start(List.of(
                    Env.heptap().toString(),
                    "--config",
                    yaml.toString(),
                    "--control",
                    dir.resolve("ctl.sock").toString(),
                    "-r",
                    Env.corpus(CAPTURE).toString(),
                    "--speed",
                    "0.1"))) {
                waitFor(agent, "socket sip: reading", Duration.ofSeconds(60));
                // the signal comes once traffic flows: messages reached hep-sink
                Await.until(
                        () -> sink.read().size() >= 10 || !agent.process.isAlive(),
                        Duration.ofSeconds(60),
                        "the first messages at hep-sink");
                assertTrue(
                        agent.process.isAlive(),
                        "the replay is still running when the signal comes: " + agent.stderr());
                agent.terminate(Duration.ofSeconds(30));
                int rc = agent.exitCode();
                assertTrue(rc == 0 || rc == 143, "a clean stop on SIGTERM (exit " + rc + "): " + agent.stderr());

                String log = agent.stderr();
                Matcher m = LEDGER.matcher(log);
                assertTrue(m.find(), "the final log line is the ledger: " + log);
                long captured = Long.parseLong(m.group(1));
                long sent = Long.parseLong(m.group(2));
                long unsent = Long.parseLong(m.group(3));
                assertTrue(
                        log.indexOf("stopping (signal)") >= 0 && log.indexOf("stopping (signal)") < m.start(),
                        "the ledger is written after the signal: " + log);
                assertTrue(
                        captured > 0 && captured < total,
                        "the signal came mid-replay: " + captured + " of " + total + " read");
                assertEquals("balanced", m.group(5), log);

                List<JsonNode> received = sink.stopAndRead();
                assertEquals(sent, received.size(), "the ledger's sent is what hep-sink received: " + m.group());
                assertEquals(
                        captured,
                        received.size() + unsent,
                        "every message read before the signal is at the sink or counted unsent: " + m.group());
            }
        }
    }

    private static void waitFor(Proc p, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (p.stderr().contains(text)) return;
            if (!p.process.isAlive()) throw new AssertionError(p.command + " exited: " + p.stderr());
            Thread.sleep(100);
        }
        throw new AssertionError(p.command + " did not say '" + text + "': " + p.stderr());
    }
}
