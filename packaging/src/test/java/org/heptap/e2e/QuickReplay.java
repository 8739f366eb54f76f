package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A corpus capture replayed by bin/heptap with quick flags to a fresh hep-sink: what the sink got and the agent said. */
record QuickReplay(Proc agent, List<JsonNode> got, HepSink sink) {

    /** Replays {@code capture} (testdata/corpus) with {@code -r CAPTURE -H udp:SINK} and {@code extra}; exit 0 expected. */
    static QuickReplay run(String capture, String... extra) throws Exception {
        try (HepSink sink = HepSink.startUdp()) {
            List<String> cmd = new ArrayList<>(List.of(
                    Env.heptap().toString(),
                    "-r",
                    Env.corpus(capture).toString(),
                    "-H",
                    "udp:127.0.0.1:" + sink.udpPort));
            cmd.addAll(List.of(extra));
            Proc agent = Proc.run(Duration.ofSeconds(120), cmd);
            List<JsonNode> got = sink.stopAndRead();
            assertEquals(0, agent.exitCode(), agent.stderr());
            assertFalse(agent.stderr().contains("Exception"), agent.stderr());
            return new QuickReplay(agent, got, sink);
        }
    }

    /**
     * Replays {@code capture} (testdata/corpus) with {@code -m sip} and {@code flags} (where it
     * sends) to the end; exit 0 expected.
     */
    static Proc sip(String capture, String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of(Env.heptap().toString(), "-r", Env.corpus(capture).toString(), "-m", "sip"));
        cmd.addAll(List.of(flags));
        Proc p = Proc.run(Duration.ofSeconds(120), cmd);
        assertEquals(0, p.exitCode(), p.stderr());
        return p;
    }

    /** The final {@code module NAME:} counter line of the agent's log as name → value (empty when it logged none). */
    Map<String, Long> moduleCounters(String module) {
        return moduleCounters(agent.stderr(), module);
    }

    /** The final {@code module NAME:} counter line of an agent's log as name → value (empty when it logged none). */
    static Map<String, Long> moduleCounters(String log, String module) {
        Map<String, Long> c = new TreeMap<>();
        String prefix = "module " + module + ": ";
        for (String line : log.split("\n")) {
            int i = line.indexOf(prefix);
            if (i < 0) continue;
            for (String part : line.substring(i + prefix.length()).split(", ")) {
                int sp = part.lastIndexOf(' ');
                c.put(
                        part.substring(0, sp),
                        Long.parseLong(part.substring(sp + 1).trim()));
            }
        }
        return c;
    }
}
