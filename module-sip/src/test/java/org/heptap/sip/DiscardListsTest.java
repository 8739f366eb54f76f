package org.heptap.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.heptap.core.capture.ReplayPacer;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.ConfigLoader;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.heptap.core.ledger.LossLedger;
import org.heptap.core.pipeline.Agent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code discard-ips} (agent-core) and {@code discard-methods} (this module) on a socket, run by
 * the real agent over corpus captures: what they drop never reaches the plan, is counted under
 * its own name, and the loss ledger still balances.
 */
class DiscardListsTest {
    @TempDir
    Path dir;

    private AgentConfig config(String socketExtra, Problems problems) throws Exception {
        Files.writeString(
                dir.resolve("plan.cfg"), "capture[pcap] { if (parse_sip()) { set_tag(\"seen\", \"1\"); } }\n");
        String yaml = """
                agent:
                  capture-plans: %s
                sockets:
                  sip:
                    port-range: 5060-5090
                    transport: all
                %s
                    capture-plan: plan.cfg
                transports:
                  console:
                    type: console
                    mode: never
                """.formatted(dir, socketExtra.indent(4).stripTrailing());
        ConfigNode root = ConfigNode.parse(new StringReader(yaml), "test.yaml", problems);
        return new ConfigLoader(true, false, ConfigLoader.Overrides.NONE).build(root, dir, dir, problems);
    }

    private Map<String, Long> run(String socketExtra, String capture) throws Exception {
        Problems problems = new Problems();
        AgentConfig c = config(socketExtra, problems);
        assertNotNull(c, problems.errors()::toString);
        Agent agent = Agent.prepare(c, problems);
        assertNotNull(agent, problems.errors()::toString);
        agent.runFile(CorpusTest.corpus().resolve(capture), ReplayPacer.max());
        agent.shutdown(java.time.Duration.ofSeconds(5));
        LossLedger ledger = LossLedger.of(agent);
        assertTrue(ledger.balanced(), ledger.toText());
        return agent.pipeline("sip").counters();
    }

    @Test
    void options_and_their_responses_are_dropped_before_the_plan() throws Exception {
        Map<String, Long> c = run("discard-methods: [OPTIONS]", "sip-methods.pcap");
        // 2 OPTIONS + their 2 200 OK of 28 messages
        assertEquals(4, c.get("discarded-method"));
        assertEquals(24, c.get("plan-runs"));
        assertEquals(0, c.get("discarded-ip"));
    }

    @Test
    void several_methods_in_one_string_any_case() throws Exception {
        Map<String, Long> c = run("discard-methods: \"options, Notify\"", "sip-methods.pcap");
        assertEquals(8, c.get("discarded-method"));
        assertEquals(20, c.get("plan-runs"));
    }

    @Test
    void addresses_and_prefixes_are_dropped_in_either_direction() throws Exception {
        // the client 192.0.2.30 and everything to or from it: 14 of 28 messages
        Map<String, Long> c = run("discard-ips: [192.0.2.28/30]", "sip-methods.pcap");
        assertEquals(14, c.get("discarded-ip"));
        assertEquals(14, c.get("plan-runs"));
        c = run("discard-ips: 192.0.2.0/24", "sip-methods.pcap");
        assertEquals(28, c.get("discarded-ip"));
        assertEquals(0, c.get("plan-runs"));
    }

    @Test
    void both_lists_together_count_apart() throws Exception {
        Map<String, Long> c = run("discard-ips: 192.0.2.30\ndiscard-methods: [OPTIONS]", "sip-methods.pcap");
        assertEquals(14, c.get("discarded-ip"));
        assertEquals(2, c.get("discarded-method"));
        assertEquals(12, c.get("plan-runs"));
    }

    @Test
    void methods_are_matched_on_framed_tcp_messages_and_the_ledger_balances() throws Exception {
        Map<String, Long> none = run("", "sip-tcp-segmented.pcap");
        Map<String, Long> c = run("discard-methods: [INVITE]", "sip-tcp-segmented.pcap");
        assertTrue(c.get("discarded-method") > 0, c::toString);
        assertEquals(none.get("plan-runs"), c.get("plan-runs") + c.get("discarded-method"));
    }

    @Test
    void wrong_entries_are_reported_with_their_key() throws Exception {
        Problems problems = new Problems();
        assertNull(config("discard-ips: [10.0.0.300, 192.0.2.0/40]\ndiscard-methods: [\"OPT IONS\"]", problems));
        String all = String.join("\n", problems.errors());
        assertTrue(all.contains("sockets.sip.discard-ips: 10.0.0.300 is not an IPv4 or IPv6 address"), all);
        assertTrue(all.contains("sockets.sip.discard-methods: \"OPT IONS\" is not a SIP method"), all);
        problems = new Problems();
        assertNull(config("discard-ips: [sip.example.org]", problems));
        assertTrue(
                problems.errors().toString().contains("sip.example.org is not an IPv4 or IPv6 address"),
                problems.errors()::toString);
    }
}
