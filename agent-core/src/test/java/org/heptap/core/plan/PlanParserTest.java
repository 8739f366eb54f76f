package org.heptap.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.heptap.core.config.Problems;
import org.junit.jupiter.api.Test;

/** Legal and illegal forms of the grammar, checked through the whole compiler. */
class PlanParserTest {
    private final StubFunctions stubs = StubFunctions.letters();
    private Problems problems;

    private CompiledPlan compile(String source) {
        problems = new Problems();
        return stubs.compile(source, problems);
    }

    private void assertLegal(String body) {
        assertNotNull(compile("capture[pcap] {\n" + body + "\n}\n"), () -> body + " -> " + problems.errors());
    }

    /** The body starts on line 2 (column 1), so positions read like an editor's. */
    private List<String> errorsIn(String body) {
        assertNull(compile("capture[pcap] {\n" + body + "\n}\n"), body + " must be rejected");
        return problems.errors();
    }

    @Test
    void braceless_if_else_without_semicolon_is_legal() {
        assertLegal("if (a()) b() else c();");
        assertLegal("if a() b();");
        assertLegal("if a() && b() c() else d();");
    }

    @Test
    void braceless_if_with_semicolon_before_else_is_rejected_at_else() {
        List<String> errors = errorsIn("if (a()) b(); else c();");
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith("test.cfg:2:15: 'else' after ';'"), errors.get(0));
    }

    @Test
    void second_else_is_named_as_such() {
        assertEquals(
                List.of("test.cfg:2:23: second 'else' for the same if: the if before it already has an else"
                        + " branch"),
                errorsIn("if (a()) b() else c() else d();"));
    }

    @Test
    void else_if_chains_are_legal() {
        assertLegal("if (a()) { b(); } else if (c()) { d(); } else if (1) e() else { f(); }");
        assertEquals(
                1, errorsIn("if (a()) { b(); } else if (1) e(); else { f(); }").size());
    }

    @Test
    void empty_action_block_is_legal_but_empty_braces_are_not() {
        assertLegal("if (a()) { ; } ;;");
        assertEquals(
                List.of("test.cfg:2:12: empty block: '{ }' is not allowed, write '{ ; }' for a block that does"
                        + " nothing"),
                errorsIn("if (a()) { }"));
        assertNull(compile("capture { }"));
        assertNotNull(compile("capture { ; }"));
    }

    @Test
    void capture_names_may_be_words_or_strings() {
        assertNotNull(compile("capture[pcap] { drop; }"));
        assertNotNull(compile("capture[\"my socket\"] { drop(); }"));
        assertNotNull(compile("capture['x'] { break; }"));
        assertNull(compile("capture[1] { drop; }"));
    }

    @Test
    void method_comparison_is_accepted_with_a_warning() {
        assertLegal("if (method == \"INVITE\") a(); if (method == INVITE) b(); if (method =~ \"INV.*\") c();");
        assertEquals(3, problems.warnings().size());
        assertTrue(
                problems.warnings().get(0).contains("always false"),
                problems.warnings().get(0));
    }

    @Test
    void send_is_accepted_with_a_warning() {
        assertLegal("send(\"x\"); send(\"y\", 5);");
        assertEquals(2, problems.warnings().size());
        assertTrue(problems.warnings().get(0).startsWith("test.cfg:2:1: warning: send(\"x\") is not implemented"));
    }

    @Test
    void debug_assignment_is_accepted_at_top_level_only() {
        assertNotNull(compile("debug = 7\ncapture { drop; }"));
        assertEquals(
                List.of("test.cfg:1:1: warning: 'debug = 7' is ignored: heptap sets log levels in its own"
                        + " configuration, not per plan"),
                problems.warnings());
        assertEquals(
                List.of("test.cfg:2:1: 'debug = N' is only allowed outside capture blocks"), errorsIn("debug = 3"));
    }

    @Test
    void arguments_must_be_quoted_strings() {
        assertEquals(
                List.of("test.cfg:2:9: function arguments must be quoted strings: write \"100\""),
                errorsIn("f2(\"x\", 100);"));
        assertEquals(
                List.of("test.cfg:2:4: function arguments must be quoted strings: write \"x\""), errorsIn("f1(x);"));
        assertEquals(
                List.of("test.cfg:2:14: too many arguments: plan functions take at most 2"),
                errorsIn("f2(\"a\", \"b\", \"c\");"));
    }

    @Test
    void wrong_argument_count_names_the_right_one() {
        assertEquals(List.of("test.cfg:2:1: 'f2' takes 2 arguments, not 1"), errorsIn("f2(\"a\");"));
        assertEquals(List.of("test.cfg:2:1: 'a' takes no arguments, not 1"), errorsIn("a(\"x\");"));
        stubs.define("g", 1);
        assertEquals(List.of("test.cfg:2:1: 'g' takes 0 or 1 arguments, not 2"), errorsIn("g(\"x\", \"y\");"));
    }

    @Test
    void unknown_function_suggests_a_close_name() {
        assertEquals(
                List.of(
                        "test.cfg:2:5: unknown function 'ff1' (did you mean f1?)",
                        "test.cfg:2:15: unknown" + " function 'completely_unknown'"),
                errorsIn("if (ff1(\"x\")) completely_unknown();"));
    }

    @Test
    void reserved_and_stray_tokens_are_rejected() {
        assertEquals(
                List.of("test.cfg:2:1: 'forward' is a reserved word of the plan language and cannot be used"),
                errorsIn("forward;"));
        assertEquals(1, errorsIn("f1(\"a\") fe80::1;").size());
        assertEquals(1, errorsIn("if (a()) (b());").size());
    }

    @Test
    void missing_semicolon_is_reported_at_the_next_token() {
        assertEquals(List.of("test.cfg:3:1: expected ';' after a(...) on line 2, found 'b'"), errorsIn("a()\nb();"));
    }

    @Test
    void block_as_condition_is_legal() {
        assertLegal("if ({ a(); b(); }) c();");
        assertLegal("if (!{ ; }) c();");
    }

    @Test
    void every_error_of_a_file_is_reported_in_one_run() {
        List<String> errors = errorsIn("""
                a(;
                if (b() c();
                f2("x");
                unknown();
                d();""");
        assertEquals(
                List.of(
                        "test.cfg:2:3: expected a quoted string argument for a(...), found ';'",
                        "test.cfg:3:9: expected ')' to close the '(' at 3:4, found 'c'",
                        "test.cfg:4:1: 'f2' takes 2 arguments, not 1",
                        "test.cfg:5:1: unknown function 'unknown'"),
                errors);
    }

    @Test
    void stray_closing_brace_at_top_level_is_reported() {
        assertNull(compile("capture { drop; }\n}\n"));
        assertEquals(List.of("test.cfg:2:1: unmatched '}': no block is open here"), problems.errors());
    }

    @Test
    void a_capture_inside_a_block_means_a_missing_brace() {
        assertNull(compile("capture[a] {\n  if (a()) {\n    b();\n}\ncapture[b] { c(); }\n"));
        assertEquals(1, problems.errors().size(), problems.errors()::toString);
        assertTrue(
                problems.errors().get(0).startsWith("test.cfg:5:1: 'capture' inside a block: a '}' is missing"),
                problems.errors().get(0));
    }

    @Test
    void truncated_file_is_one_error_at_the_end() {
        assertNull(compile("capture { if (a("));
        assertEquals(
                List.of("test.cfg:1:17: expected ',' or ')' after an argument of a(...), found end of file")
                        .size(),
                problems.errors().size(),
                problems.errors()::toString);
    }

    @Test
    void file_without_capture_block_is_rejected() {
        assertNull(compile("# nothing here\n"));
        assertEquals(List.of("test.cfg: no capture block: a plan needs 'capture[name] { ... }'"), problems.errors());
    }

    @Test
    void several_capture_blocks_warn_and_the_last_one_runs() {
        CompiledPlan plan = compile("capture[one] { a(); }\ncapture[two] { b(); }\n");
        assertNotNull(plan);
        assertEquals(
                List.of("test.cfg:1:1: warning: capture[one] is ignored: only the last capture block of a file"
                        + " runs (as in captagent), here capture[two] on line 2"),
                problems.warnings());
        stubs.run(plan);
        assertEquals(List.of("b"), stubs.calls);
    }

    @Test
    void the_compiler_adds_no_warning_of_its_own_about_a_module_function() {
        // light_parse_sip's warning is the SIP module's (SipModuleTest): the core knows no protocol
        assertLegal("light_parse_sip(); if (light_parse_sip()) a();");
        assertEquals(List.of(), problems.warnings());
    }

    @Test
    void nesting_of_ten_levels_is_accepted_and_eleven_rejected() {
        // capture block = level 1; each if branch adds one
        assertLegal("if (1) { ".repeat(9) + "a();" + " }".repeat(9));
        List<String> errors = errorsIn("if (1) { ".repeat(10) + "a();" + " }".repeat(10));
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(
                errors.get(0).startsWith("test.cfg:2:89: nested 11 levels deep, but captagent stops at 10"),
                errors.get(0));
        // a call in a condition runs one level deeper than its if
        assertTrue(errorsIn("if (1) { ".repeat(9) + "if (a()) b();" + " }".repeat(9))
                .get(0)
                .contains("nested 11"));
    }

    @Test
    void absurd_nesting_is_an_error_not_a_stack_overflow() {
        assertEquals(
                1,
                errorsIn("if " + "(".repeat(5000) + "a()" + ")".repeat(5000) + " b();")
                        .size());
        assertEquals(1, errorsIn("if " + "!".repeat(5000) + "a() b();").size());
        assertEquals(1, errorsIn("if (1) { ".repeat(3000)).size());
        assertTrue(problems.errors().get(0).contains("nested more than 100 levels"), problems.errors()::toString);
    }

    @Test
    void long_operator_chains_stay_flat() {
        assertLegal("if (" + "a() && ".repeat(2000) + "b() || c()" + ") d();");
    }
}
