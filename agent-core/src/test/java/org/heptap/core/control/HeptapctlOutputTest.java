package org.heptap.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.heptap.core.control.ControlClientTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What heptapctl prints for a real control server's answers. */
class HeptapctlOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void reload_prints_each_warning_once_as_the_agent_wrote_it(@TempDir Path dir) throws Exception {
        try (TestAgent agent = TestAgent.start(dir, ControlServer.IDLE_MILLIS)) {
            Run r = Run.of("--socket", agent.socket.toString(), "reload");
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(2, lines.size(), r.out());
            assertTrue(lines.get(0).matches("\\S*plans/p\\.cfg:2:\\d+: warning: set_tag: .*"), lines.get(0));
            assertEquals(
                    lines.get(0).indexOf("warning:"),
                    lines.get(0).lastIndexOf("warning:"),
                    "one 'warning:' per line: " + lines.get(0));
            assertEquals("reloaded heptap.yaml", lines.get(1));
        }
    }

    @Test
    void status_says_a_collector_socket_listens(@TempDir Path dir) throws Exception {
        try (TestAgent agent = TestAgent.start(dir, ControlServer.IDLE_MILLIS)) {
            Run r = Run.of("--socket", agent.socket.toString(), "status");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("\nsocket relay: listening on udp:127.0.0.1:5999, plan "), r.out());
            assertTrue(r.out().contains("\nsocket sip: capturing on lo ports [5060-5061], plan "), r.out());
            assertEquals(
                    0,
                    Run.of("--socket", agent.socket.toString(), "pause", "relay")
                            .code());
            assertTrue(Run.of("--socket", agent.socket.toString(), "status")
                    .out()
                    .contains("\nsocket relay: paused, listening on udp:127.0.0.1:5999, plan "));
            JsonNode json = JSON.readTree(Run.of("--socket", agent.socket.toString(), "--json", "status")
                    .out());
            assertEquals("udp:127.0.0.1:5999", json.at("/sockets/1/listen").asText());
        }
    }

    @Test
    void an_unknown_watch_filter_is_refused_naming_the_known_ones(@TempDir Path dir) throws Exception {
        try (TestAgent agent = TestAgent.start(dir, ControlServer.IDLE_MILLIS)) {
            Run r = Run.of("--socket", agent.socket.toString(), "watch", "--colour", "red");
            assertEquals(1, r.code());
            assertTrue(
                    r.err().startsWith("heptapctl: no module understands watch filter(s) [colour] (known: ip"),
                    r.err());
        }
    }
}
