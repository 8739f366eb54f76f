package org.heptap.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** heptapctl's command line and its conversation with an agent, against a stand-in agent. */
class ControlClientTest {
    private static final String LOG_LEVEL_ANSWER = "{\"ok\":true,\"log-level\":\"debug\"}";

    /** One heptapctl run: exit status and what it printed. */
    record Run(int code, String out, String err) {
        static Run of(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = ControlClient.run(
                    args,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void an_unknown_option_is_an_error_with_the_usage() {
        Run r = Run.of("--bogus");
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.startsWith("heptapctl: Unknown option: '--bogus'\n"), r.err);
        assertTrue(r.err.contains("Usage: heptapctl ") && r.err.contains("status ") && r.err.contains("watch "), r.err);
        assertEquals("", r.out);
    }

    @Test
    void an_unknown_option_after_a_command_is_an_error_too() {
        Run r = Run.of("status", "--bogus");
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("Unknown option: '--bogus'") && r.err.contains("Usage: heptapctl status"), r.err);
    }

    @Test
    void no_command_is_an_error_with_the_usage() {
        Run r = Run.of();
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("heptapctl: no command given\nUsage: heptapctl"), r.err);
    }

    @Test
    void help_lists_every_command_on_stdout() {
        Run r = Run.of("--help");
        assertEquals(0, r.code);
        for (String c : List.of(
                "status",
                "stats",
                "reload",
                "pause",
                "resume",
                "log-level",
                "plan",
                "watch",
                "--control",
                "--socket",
                "--json",
                "--timeout")) {
            assertTrue(r.out.contains(c), c + " in\n" + r.out);
        }
    }

    @Test
    void control_names_the_agent_socket_like_the_agent_flag(@TempDir Path dir) throws Exception {
        try (FakeAgent agent = new FakeAgent(dir.resolve("a.sock"), List.of(LOG_LEVEL_ANSWER), true)) {
            Run r = Run.of("--control", agent.path.toString(), "log-level", "debug");
            assertEquals(0, r.code, r.err);
            assertEquals("log-level debug", agent.command());
            assertEquals("log level debug\n", r.out);
        }
    }

    @Test
    void socket_is_an_alias_and_options_may_follow_the_command(@TempDir Path dir) throws Exception {
        try (FakeAgent agent = new FakeAgent(dir.resolve("a.sock"), List.of(LOG_LEVEL_ANSWER), true)) {
            Run r = Run.of("log-level", "debug", "--socket", agent.path.toString(), "--json");
            assertEquals(0, r.code, r.err);
            assertEquals("log-level debug", agent.command());
            assertEquals(LOG_LEVEL_ANSWER + "\n", r.out, "--json prints the agent's line as it came");
        }
    }

    @Test
    void an_agent_that_never_answers_times_out_with_a_message(@TempDir Path dir) throws Exception {
        try (FakeAgent agent = new FakeAgent(dir.resolve("a.sock"), List.of(), false)) {
            Run r = assertTimeoutPreemptively(
                    Duration.ofSeconds(20),
                    () -> Run.of("--socket", agent.path.toString(), "--timeout", "1", "status"));
            assertEquals(3, r.code, r.err);
            assertEquals(
                    "heptapctl: the agent at " + agent.path
                            + " did not answer within 1 s (is it stuck? --timeout SECONDS waits longer)\n",
                    r.err);
            assertEquals("status", agent.command());
        }
    }

    @Test
    void a_watch_that_goes_silent_times_out(@TempDir Path dir) throws Exception {
        try (FakeAgent agent = new FakeAgent(
                dir.resolve("a.sock"), List.of("{\"ok\":true,\"watching\":\"1 socket(s)\"}", "{}"), false)) {
            Run r = assertTimeoutPreemptively(
                    Duration.ofSeconds(20),
                    () -> Run.of("--socket", agent.path.toString(), "--timeout", "0.5", "watch"));
            assertEquals(3, r.code, r.err);
            assertTrue(r.err.contains("did not answer within 0.5 s"), r.err);
        }
    }

    @Test
    void watch_filters_go_to_the_agent_as_key_value_words(@TempDir Path dir) throws Exception {
        try (FakeAgent agent = new FakeAgent(
                dir.resolve("a.sock"),
                List.of(
                        "{\"ok\":true,\"watching\":\"1 socket(s)\"}",
                        "{\"socket\":\"sip\",\"header\":\"U 2026/01/01 00:00:00.000000 1.2.3.4:5060 -> 5.6.7.8:5060\",\"payload\":\"INVITE sip:a@b SIP/2.0\\r\\n\"}"),
                true)) {
            Run r = Run.of(
                    "--socket",
                    agent.path.toString(),
                    "watch",
                    "--method",
                    "INVITE",
                    "--call-id=abc",
                    "user=bob",
                    "--color",
                    "red");
            assertEquals(0, r.code, r.err);
            assertEquals(
                    "watch method=INVITE call-id=abc user=bob color=red",
                    agent.command(),
                    "no filter key is known to the client");
            assertEquals(
                    "U 2026/01/01 00:00:00.000000 1.2.3.4:5060 -> 5.6.7.8:5060\nINVITE sip:a@b SIP/2.0\r\n\n", r.out);
        }
    }

    @Test
    void a_watch_filter_without_value_or_a_bare_word_is_a_usage_error() {
        Run missing = Run.of("watch", "--method");
        assertEquals(2, missing.code);
        assertTrue(missing.err.startsWith("heptapctl: --method needs a value\nUsage: heptapctl watch"), missing.err);
        Run bare = Run.of("watch", "INVITE");
        assertEquals(2, bare.code);
        assertTrue(bare.err.contains("'INVITE' is not a filter"), bare.err);
    }

    @Test
    void a_refusal_prints_the_agents_reasons_and_exits_1(@TempDir Path dir) throws Exception {
        String refused = "{\"ok\":false,\"error\":\"reload refused; the running configuration stays\","
                + "\"errors\":[\"plans/p.cfg:3:5: unknown function send_hepp\"],\"warnings\":[\"plans/p.cfg:2:5: warning: w\"]}";
        try (FakeAgent agent = new FakeAgent(dir.resolve("a.sock"), List.of(refused), true)) {
            Run r = Run.of("--control", agent.path.toString(), "reload");
            assertEquals(1, r.code);
            assertEquals(
                    "heptapctl: reload refused; the running configuration stays\nplans/p.cfg:3:5: unknown function send_hepp\n"
                            + "plans/p.cfg:2:5: warning: w\n",
                    r.err);
        }
    }

    @Test
    void an_answer_that_is_not_json_is_exit_3_with_a_message(@TempDir Path dir) throws Exception {
        try (FakeAgent agent = new FakeAgent(dir.resolve("a.sock"), List.of("HTTP/1.1 400 Bad Request"), true)) {
            Run r = Run.of("--control", agent.path.toString(), "status");
            assertEquals(3, r.code, r.err);
            assertTrue(r.err.startsWith("heptapctl: " + agent.path + " does not answer like a heptap agent: "), r.err);
            assertTrue(!r.err.contains("\tat "), "no stack trace: " + r.err);
        }
    }

    @Test
    void a_watch_event_without_payload_prints_its_header(@TempDir Path dir) throws Exception {
        try (FakeAgent agent = new FakeAgent(
                dir.resolve("a.sock"),
                List.of(
                        "{\"ok\":true,\"watching\":\"1 socket(s)\"}",
                        "{\"header\":\"U 2026/01/01 00:00:00.000000 1.2.3.4:5060 -> 5.6.7.8:5060\"}"),
                true)) {
            Run r = Run.of("--control", agent.path.toString(), "watch");
            assertEquals(0, r.code, r.err);
            assertEquals("U 2026/01/01 00:00:00.000000 1.2.3.4:5060 -> 5.6.7.8:5060\n\n\n", r.out);
        }
    }

    @Test
    void no_agent_is_exit_3_with_a_hint(@TempDir Path dir) {
        Run r = Run.of("--control", dir.resolve("none.sock").toString(), "status");
        assertEquals(3, r.code);
        assertTrue(r.err.startsWith("heptapctl: cannot talk to the agent at " + dir.resolve("none.sock")), r.err);
    }
}
