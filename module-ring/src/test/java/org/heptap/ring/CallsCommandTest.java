package org.heptap.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.heptap.core.spi.ActiveCalls;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.ControlReply;
import org.junit.jupiter.api.Test;

/** {@code heptapctl calls}: active calls with their media's quality when measured, the ring's with --recent. */
class CallsCommandTest {
    /** Keeps the one answer a command gives. */
    static final class Answer implements ControlReply {
        Map<String, Object> ok;
        String error;

        @Override
        public void ok(Map<String, Object> fields) {
            ok = fields;
        }

        @Override
        public void error(String message) {
            error = message;
        }

        @Override
        public OutputStream binary(Map<String, Object> fields) {
            throw new AssertionError("calls answers in one line");
        }

        @Override
        public void end(Map<String, Object> summary) {
            throw new AssertionError("calls answers in one line");
        }
    }

    private static ActiveCalls measuring() {
        ActiveCalls a = new ActiveCalls();
        a.addSource(() -> List.of(new ActiveCalls.Call(
                "call-1@example",
                List.of(new ActiveCalls.Direction(
                        "192.0.2.10:40000", "192.0.2.20:50000", 0x1234, "PCMU", 990, 10, 1.0, 3.14159, 4.21)))));
        return a;
    }

    @Test
    void without_recent_lists_the_active_calls_with_loss_jitter_and_mos() throws Exception {
        Answer a = new Answer();
        new CallsCommand(() -> null, CallsCommandTest::measuring).run(List.of(), a);
        assertNull(a.error, a.error);
        String text = (String) a.ok.get("text");
        assertTrue(text.startsWith("CALL-ID"), text);
        assertTrue(text.contains("call-1@example") && text.contains("192.0.2.10:40000 -> 192.0.2.20:50000"), text);
        assertTrue(
                text.contains("990") && text.contains("1.00") && text.contains("3.14") && text.contains("4.21"), text);
        List<?> calls = (List<?>) a.ok.get("calls");
        Map<?, ?> dir = (Map<?, ?>) ((List<?>) ((Map<?, ?>) calls.get(0)).get("directions")).get(0);
        assertEquals(4.21, dir.get("mos"));
        assertEquals(3.14, dir.get("jitter_ms"));
        assertEquals(10L, dir.get("lost"));
    }

    @Test
    void recent_stays_the_rings_list() throws Exception {
        Answer a = new Answer();
        new CallsCommand(() -> null, CallsCommandTest::measuring).run(List.of("recent"), a);
        assertEquals(CallsCommand.NO_RING, a.error);
    }

    @Test
    void without_measured_media_it_is_the_rings_list() throws Exception {
        Answer a = new Answer();
        new CallsCommand(() -> null, ActiveCalls::new).run(List.of(), a);
        assertEquals(CallsCommand.NO_RING, a.error);
    }

    @Test
    void the_ring_module_claims_calls_so_the_media_module_offers_no_second_one() {
        AgentContext agent = new AgentContext(1, "n", false);
        assertFalse(ActiveCalls.of(agent).commandClaimed());
        RingModule m = new RingModule();
        m.configure(ConfigNode.parse(new StringReader("calls: 100\n"), "heptap.yaml", new Problems()), agent);
        assertTrue(ActiveCalls.of(agent).commandClaimed());
        m.close();
    }
}
