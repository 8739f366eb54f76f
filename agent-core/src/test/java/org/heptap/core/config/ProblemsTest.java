package org.heptap.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void errors_read_back_by_file_then_line_then_column_unpositioned_first() {
        Problems p = new Problems();
        p.error("conf/heptap.yaml", 30, "sockets.sip.port-range: x is not a port range");
        p.error("plans/sip.cfg", 7, 3, "unknown function 'f'");
        p.error("conf/heptap.yaml", 4, "agent.node-id: y is not a whole number");
        p.error("plans/sip.cfg", 7, 1, "missing ';'");
        p.error("plans/sip.cfg", 2, 9, "unknown function 'g'");
        p.error("plans/other.cfg: cannot read: no such file");
        assertEquals(
                List.of(
                        "plans/other.cfg: cannot read: no such file",
                        "conf/heptap.yaml:4: agent.node-id: y is not a whole number",
                        "conf/heptap.yaml:30: sockets.sip.port-range: x is not a port range",
                        "plans/sip.cfg:2:9: unknown function 'g'",
                        "plans/sip.cfg:7:1: missing ';'",
                        "plans/sip.cfg:7:3: unknown function 'f'"),
                p.errors());
    }

    @Test
    void warnings_are_sorted_and_a_repeated_one_is_listed_once() {
        Problems p = new Problems();
        p.warning("plans/sip.cfg", 9, 5, "later");
        p.warning("plans/sip.cfg", 2, 7, "same");
        p.warning("plans/sip.cfg", 2, 7, "same");
        assertEquals(List.of("plans/sip.cfg:2:7: warning: same", "plans/sip.cfg:9:5: warning: later"), p.warnings());
    }

    @Test
    void merged_problems_are_sorted_together() {
        Problems a = new Problems();
        a.error("f.cfg", 5, 1, "five");
        Problems b = new Problems();
        b.error("f.cfg", 1, 1, "one");
        a.addAll(b);
        assertEquals(List.of("f.cfg:1:1: one", "f.cfg:5:1: five"), a.errors());
    }
}
