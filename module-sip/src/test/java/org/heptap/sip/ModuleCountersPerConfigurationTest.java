package org.heptap.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.Problems;
import org.heptap.core.metrics.MetricsEndpoint;
import org.heptap.core.pipeline.Agent;
import org.heptap.core.testing.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module counters belong to the configuration that registered them, not to the process: a second
 * configuration in the same JVM (a refused reload, {@code --check}, a test's agent) shows nothing
 * on the running agent's /metrics, and a reload that is applied continues the running counts.
 */
class ModuleCountersPerConfigurationTest {
    private static final String PLAN = "capture[pcap] { if (parse_sip()) { drop; } }\n";
    private static final String INVITES = "heptap_sip_requests_total{method=\"INVITE\",socket=\"SOCKET\"}";

    @TempDir
    Path dir;

    private Agent prepare(String socket) throws Exception {
        Path own = Files.createDirectories(dir.resolve(socket));
        Problems problems = new Problems();
        Agent agent = Agent.prepare(TestConfig.oneSocket(own, socket, PLAN, "", TestConfig.SILENT_CONSOLE), problems);
        assertNotNull(agent, problems.errors()::toString);
        return agent;
    }

    private static String scrape(Agent agent) {
        try (MetricsEndpoint m = new MetricsEndpoint(agent)) {
            return m.scrape();
        }
    }

    private static LongAdder invites(Agent agent, String socket) {
        return agent.moduleCounters()
                .counter(
                        "heptap.sip.requests",
                        "SIP requests the socket's plan parsed",
                        "socket",
                        socket,
                        "method",
                        "INVITE");
    }

    @Test
    void another_configuration_registers_nothing_on_the_running_agents_metrics() throws Exception {
        Agent live = prepare("live");
        // compiled (so its SIP counters were registered), then dropped without running
        Agent other = prepare("other");
        other.shutdown(Duration.ofSeconds(5));

        String text = scrape(live);
        assertTrue(text.contains(INVITES.replace("SOCKET", "live")), text);
        assertFalse(text.contains("socket=\"other\""), "the other configuration's counters:\n" + text);
        assertNotSame(live.moduleCounters(), other.moduleCounters());
        live.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void an_applied_reload_continues_the_counts_and_a_refused_one_leaves_them() throws Exception {
        Agent agent = prepare("sip");
        LongAdder before = invites(agent, "sip");
        before.add(3);
        String series = INVITES.replace("SOCKET", "sip");
        assertTrue(scrape(agent).contains(series + " 3.0"));

        // refused: the plan calls a function no module exports
        Path refusedDir = Files.createDirectories(dir.resolve("refused"));
        AgentConfig refused = TestConfig.oneSocket(
                refusedDir,
                "sip",
                "capture[pcap] { if (parse_sip()) { no_such_function(); } }\n",
                "",
                TestConfig.SILENT_CONSOLE);
        Problems problems = new Problems();
        assertFalse(agent.reload(refused, problems));
        assertNotSame(agent.moduleCounters(), refused.moduleCounters());
        assertTrue(scrape(agent).contains(series + " 3.0"));

        Path nextDir = Files.createDirectories(dir.resolve("next"));
        AgentConfig next = TestConfig.oneSocket(nextDir, "sip", PLAN, "", TestConfig.SILENT_CONSOLE);
        problems = new Problems();
        assertTrue(agent.reload(next, problems), problems.errors()::toString);
        LongAdder after = invites(agent, "sip");
        assertNotSame(before, after, "the new configuration counts into counters of its own");
        assertEquals(3, after.sum(), "the count carried over");
        after.increment();
        String text = scrape(agent);
        assertTrue(text.contains(series + " 4.0"), text);
        agent.shutdown(Duration.ofSeconds(5));
    }
}
