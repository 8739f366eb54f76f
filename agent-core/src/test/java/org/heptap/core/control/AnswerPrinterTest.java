package org.heptap.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** heptapctl stats: counters in the agent's order, stages with their non-zero losses. */
class AnswerPrinterTest {
    @Test
    void stats_prints_every_counter_in_order_and_only_the_losses_that_happened() throws Exception {
        var answer = new ObjectMapper().readTree("""
                {"ledger": {
                  "sockets": {"sip": {"frames": 10, "decoded": 9}},
                  "transports": {"hep": {"sent": 8, "send-failed": 1}},
                  "stages": [{"stage": "decode", "scope": "socket sip", "in": 10, "out": 9,
                              "losses": {"truncated": 1, "not-ip": 0}, "balanced": true}],
                  "balanced": true}}""");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new AnswerPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), System.err).answer("stats", answer);
        assertEquals("""
                socket sip: frames 10, decoded 9
                transport hep: sent 8, send-failed 1

                decode    socket sip             in 10 = out 9 + truncated 1  ok
                ledger balances: every message is accounted for
                """, out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void stats_ends_with_each_modules_counters() throws Exception {
        var answer = new ObjectMapper().readTree("""
                {"ledger": {"sockets": {}, "transports": {}, "stages": [], "balanced": true},
                 "modules": {"ring": {"frames": 12, "calls-evicted": 3}}}""");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new AnswerPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), System.err).answer("stats", answer);
        assertEquals("""

                ledger balances: every message is accounted for
                module ring: frames 12, calls-evicted 3
                """, out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void a_module_commands_text_is_printed_as_it_is() throws Exception {
        var answer = new ObjectMapper().readTree("{\"ok\":true,\"calls\":[],\"text\":\"a\\nb\\n\"}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new AnswerPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), System.err).answer("calls", answer);
        assertEquals("a\nb\n", out.toString(StandardCharsets.UTF_8));
    }
}
