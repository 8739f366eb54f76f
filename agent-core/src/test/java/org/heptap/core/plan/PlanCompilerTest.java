package org.heptap.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.heptap.core.config.Problems;
import org.heptap.core.spi.PlanFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding: what functions see at compile time and how their complaints reach the operator. */
class PlanCompilerTest {
    private final StubFunctions stubs = StubFunctions.stock(java.util.Set.of());
    private final Problems problems = new Problems();

    @Test
    void unknown_transport_is_reported_at_the_call_with_a_suggestion() {
        assertNull(stubs.compile("capture {\n  send_hep(\"hepsockt\");\n}", problems));
        assertEquals(
                List.of("test.cfg:2:3: unknown transport profile 'hepsockt' (did you mean hepsocket?)"),
                problems.errors());
    }

    @Test
    void without_transports_the_error_says_none_are_configured() {
        new PlanCompiler(stubs.registry, TransportResolver.none())
                .compile("capture { send_hep(\"x\"); }", "p.cfg", "", problems);
        assertEquals(
                List.of("p.cfg:1:11: unknown transport profile 'x' (no transport profiles are configured)"),
                problems.errors());
    }

    @Test
    void plan_check_without_configuration_accepts_any_transport_name() {
        assertNotNull(
                new PlanCompiler(stubs.registry, TransportResolver.acceptingAnyName())
                        .compile("capture { send_hep(\"anything\"); }", "p.cfg", "", problems),
                problems.errors()::toString);
    }

    @Test
    void functions_see_where_they_are_called_from() {
        List<String> seen = new ArrayList<>();
        FunctionRegistry registry = new FunctionRegistry();
        registry.register(PlanFunction.of("probe", 1, (args, ctx) -> {
            seen.add(args.get(0) + " cond=" + ctx.inCondition() + " socket=" + ctx.socketName());
            ctx.warning("looked at " + args.get(0));
            return m -> 1;
        }));
        new PlanCompiler(registry, TransportResolver.none())
                .compile(
                        "capture { probe(\"a\"); if (probe(\"b\")) probe(\"c\"); if ({ probe(\"d\"); }) ; else probe(\"e\"); }",
                        "p.cfg",
                        "sip",
                        problems);
        assertEquals(
                List.of("a cond=false socket=sip", "b cond=true socket=sip", "c cond=false socket=sip"),
                seen.subList(0, 3));
        assertTrue(problems.warnings().contains("p.cfg:1:11: warning: looked at a"), problems.warnings()::toString);
    }

    @Test
    void function_rejecting_its_arguments_silently_still_fails_the_plan() {
        FunctionRegistry registry = new FunctionRegistry();
        registry.register(PlanFunction.of("picky", 0, (args, ctx) -> null));
        assertNull(new PlanCompiler(registry, TransportResolver.none())
                .compile("capture { picky(); }", "p.cfg", "", problems));
        assertEquals(List.of("p.cfg:1:11: picky(...) rejected its arguments"), problems.errors());
    }

    @Test
    void function_throwing_while_binding_becomes_a_problem() {
        FunctionRegistry registry = new FunctionRegistry();
        registry.register(PlanFunction.of("buggy", 0, (args, ctx) -> {
            throw new IllegalStateException("boom");
        }));
        assertNull(new PlanCompiler(registry, TransportResolver.none())
                .compile("capture { buggy(); }", "p.cfg", "", problems));
        assertEquals(1, problems.errors().size());
        assertTrue(problems.errors().get(0).startsWith("p.cfg:1:11: internal error while checking buggy(...)"));
    }

    @Test
    void problems_come_out_sorted_by_position() {
        stubs.compile("capture {\n  send(\"x\");\n  nope();\n  - ;\n}\n", problems);
        assertEquals(List.of("test.cfg:3:3: unknown function 'nope'"), problems.errors());
        assertEquals(
                List.of(
                        "test.cfg:2:3: warning: send(\"x\") is not implemented in captagent and ends the plan like 'drop';"
                                + " use send_hep(\"x\") to send",
                        "test.cfg:4:3: warning: unexpected character '-' ignored (captagent skips it too)"),
                problems.warnings());
    }

    @Test
    void file_is_read_as_utf8_or_bytes(@TempDir Path dir) throws Exception {
        Path utf8 = dir.resolve("u.cfg");
        Files.writeString(utf8, "capture { clog(\"E\", \"é\"); nope(); }", StandardCharsets.UTF_8);
        stubs.compiler().compile(utf8, "u.cfg", "", problems);
        assertEquals(List.of("u.cfg:1:27: unknown function 'nope'"), problems.errors());
        Path latin1 = dir.resolve("l.cfg");
        Files.write(latin1, "capture { clog(\"E\", \"\u00e9\"); nope(); }".getBytes(StandardCharsets.ISO_8859_1));
        Problems p2 = new Problems();
        stubs.compiler().compile(latin1, "l.cfg", "", p2);
        assertEquals(List.of("l.cfg:1:27: unknown function 'nope'"), p2.errors());
    }

    @Test
    void oversized_file_is_refused(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.cfg");
        Files.write(big, new byte[(int) PlanCompiler.MAX_FILE_BYTES + 1]);
        assertNull(stubs.compiler().compile(big, "big.cfg", "", problems));
        assertEquals(List.of("big.cfg: 1048577 bytes is larger than a capture plan may be (1 MB)"), problems.errors());
    }

    @Test
    void a_plan_of_too_many_tokens_is_refused_where_it_crosses_the_limit(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("many.cfg");
        // 65,000 calls, under the 1 MB file limit: 455,000 tokens
        Files.writeString(big, "capture[main] {\n" + "clog(\"E\",\"x\");\n".repeat(65_000) + "}\n");
        assertNull(stubs.compiler().compile(big, "many.cfg", "", problems));
        // 5 tokens on line 1, then 7 a line: token 20,001 is the fourth of line 2,858, at column 9
        assertEquals(
                List.of(
                        "many.cfg:2858:9: more than 20000 words and symbols: far more than a capture plan holds (is this the right file?)"),
                problems.errors());
    }
}
