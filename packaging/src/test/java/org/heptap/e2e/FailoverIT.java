package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail-over between two collectors (issue 4, acceptance 2, second half): a profile with
 * {@code mode: failover} over two TCP hep-sinks; the first is stopped mid-replay (paced), the
 * second gets the rest. Together they hold the MANIFEST's messages, in order, none twice, short
 * by at most the window the agent reports as written to the dead connection (plain TCP cannot
 * tell whether those arrived).
 */
@Offline
class FailoverIT {
    private static final String CAPTURE = "sip-udp-v4.pcap";

    @Test
    void the_second_collector_gets_the_rest_when_the_first_stops(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/sip.cfg"), """
                capture[pcap] {
                    if (parse_sip()) {
                        send_hep("homer");
                    }
                    drop;
                }
                """);
        HepSink first = HepSink.startTcp(0);
        try (HepSink second = HepSink.startTcp(0)) {
            Path yaml = dir.resolve("heptap.yaml");
            Files.writeString(yaml, """
                    agent:
                      capture-plans: plans
                    sockets:
                      sip:
                        device: any
                        port-range: 5061-5062
                        capture-plan: sip.cfg
                    transports:
                      homer:
                        type: hep
                        mode: failover
                        collectors: [ "tcp:127.0.0.1:%d", "tcp:127.0.0.1:%d" ]
                    """.formatted(first.udpPort, second.udpPort));
            // 0.12 × recorded speed: a replay of about 16 s; the first collector goes once it has a
            // quarter of the messages, so each collector gets a good share
            int quarter = Env.manifestEntry(CAPTURE).get("sip_messages").asInt() / 4;
            Proc agent = Proc.start(List.of(
                    Env.heptap().toString(),
                    "--config",
                    yaml.toString(),
                    "-r",
                    Env.corpus(CAPTURE).toString(),
                    "--speed",
                    "0.12"));
            List<JsonNode> before;
            List<JsonNode> after;
            String log;
            try {
                Await.until(
                        () -> first.read().size() >= quarter || !agent.process.isAlive(),
                        Duration.ofSeconds(60),
                        quarter + " messages at the first collector");
                assertTrue(
                        agent.process.isAlive(),
                        "the replay is still running when the first collector stops: " + agent.stderr());
                before = first.stopAndRead();
                first.close();
                assertTrue(agent.process.waitFor(90, TimeUnit.SECONDS), "agent finished the replay");
                assertEquals(0, agent.exitCode(), agent.stderr());
                log = agent.stderr();
                after = second.stopAndRead();
            } finally {
                agent.close();
                first.close();
            }
            List<String> want = Env.expectedPayloadShas(CAPTURE);
            assertEquals(Env.manifestEntry(CAPTURE).get("sip_messages").asInt(), want.size());
            assertFalse(before.isEmpty(), "the first collector got the start\n" + log);
            assertFalse(after.isEmpty(), "the second collector got the rest\n" + log);
            List<String> got = new ArrayList<>(Env.payloadShas(before));
            got.addAll(Env.payloadShas(after));
            Set<String> seen = new HashSet<>();
            for (String s : got) assertTrue(seen.add(s), "delivered twice: " + s);
            // in capture order across the switch
            int i = 0;
            for (String s : got) {
                while (i < want.size() && !want.get(i).equals(s)) i++;
                assertTrue(i < want.size(), "out of order: " + s + "\n" + log);
                i++;
            }
            int missing = want.size() - got.size();
            int atRisk = 0;
            Matcher lost = Pattern.compile("lost after (\\d+) packets were written to it; up to the last (\\d+)")
                    .matcher(log);
            if (lost.find()) atRisk = Integer.parseInt(lost.group(2));
            assertTrue(
                    missing <= atRisk,
                    "missing " + missing + " > unconfirmed window " + atRisk + " the agent reported\n" + log);
            System.out.println("failover: first " + before.size() + ", second " + after.size() + ", missing " + missing
                    + " (reported window " + atRisk + ") of " + want.size());
        }
    }
}
