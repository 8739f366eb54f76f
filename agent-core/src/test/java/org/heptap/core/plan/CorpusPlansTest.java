package org.heptap.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.heptap.core.config.Problems;
import org.heptap.core.plan.functions.CorePlanFunctions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.Yaml;

/** The captagent stock plans and the broken plans of the shared corpus. */
class CorpusPlansTest {
    private static final Path PLANS = SharedCorpus.plans();

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> expectedBadPlans() throws IOException {
        // JSON is YAML: agent-core already depends on SnakeYAML
        try (Reader r = Files.newBufferedReader(PLANS.resolve("bad/EXPECTED.json"))) {
            Map<String, Object> doc = new Yaml().load(r);
            return (List<Map<String, Object>>) doc.get("plans");
        }
    }

    static List<Path> stockPlans() throws IOException {
        try (Stream<Path> s = Files.list(PLANS)) {
            return s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        }
    }

    @TestFactory
    List<DynamicTest> every_bad_plan_is_rejected_exactly_where_expected() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map<String, Object> e : expectedBadPlans()) {
            String file = (String) e.get("file");
            tests.add(DynamicTest.dynamicTest(file, () -> {
                Path path = PLANS.getParent().resolve(file);
                Problems problems = new Problems();
                CompiledPlan plan = StubFunctions.stock(Set.of()).compiler().compile(path, file, "pcap", problems);
                assertNull(plan, file + " must be rejected");
                String where = file + ":" + e.get("line") + ":" + e.get("column") + ": ";
                assertEquals(1, problems.errors().size(), () -> "exactly one error expected: " + problems.errors());
                assertTrue(
                        problems.errors().get(0).startsWith(where),
                        () -> "expected an error at " + where + " (" + e.get("error") + "), got " + problems.errors());
            }));
        }
        assertTrue(tests.size() >= 6);
        return tests;
    }

    @Test
    void unknown_function_message_is_exact() {
        Problems problems = new Problems();
        String display = "testdata/corpus/plans/bad/unknown_function.cfg";
        StubFunctions.stock(Set.of())
                .compiler()
                .compile(PLANS.resolve("bad/unknown_function.cfg"), display, "", problems);
        assertEquals(
                List.of(display + ":4:17: unknown function 'send_hepp' (did you mean send_hep?)"), problems.errors());
    }

    @Test
    void bad_plan_messages_speak_to_the_operator() {
        assertEquals(List.of("b:2:8: 'msg_check' takes 2 arguments, not 1"), errorsOf("bad/wrong_arity.cfg"));
        assertEquals(
                List.of("b:6:5: 'else' without an 'if': the statement before it is not an if block"),
                errorsOf("bad/else_without_if.cfg"));
        assertEquals(
                List.of("b:10:1: missing '}': end of file reached inside capture[pcap] { } opened at 1:15;"
                        + " probably the if block opened at 3:25 is the one not closed: the '}' at 7:5 that closed it is"
                        + " indented like an outer line"),
                errorsOf("bad/missing_brace.cfg"));
        assertEquals(
                List.of("b:4:27: string literal not closed before end of line 4 (no closing \" anywhere up to"
                        + " the end of the file)"),
                errorsOf("bad/unterminated_string.cfg"));
        assertEquals(
                List.of("b:3:25: unknown function 'is_sipp' (did you mean sip_is_method?)"),
                errorsOf("bad/unknown_function_in_condition.cfg"));
    }

    private static List<String> errorsOf(String file) {
        Problems problems = new Problems();
        StubFunctions.stock(Set.of()).compiler().compile(PLANS.resolve(file), "b", "", problems);
        return problems.errors();
    }

    @TestFactory
    List<DynamicTest> every_stock_plan_compiles_unchanged() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : stockPlans()) {
            tests.add(DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
                Problems problems = new Problems();
                CompiledPlan plan = StubFunctions.stock(Set.of())
                        .compiler()
                        .compile(p, p.getFileName().toString(), "pcap", problems);
                assertTrue(problems.errors().isEmpty(), () -> problems.errors().toString());
                assertTrue(
                        problems.warnings().isEmpty(), () -> problems.warnings().toString());
                assertNotNull(plan);
            }));
        }
        assertEquals(7, tests.size());
        return tests;
    }

    @Test
    void stock_plans_compile_with_the_real_core_functions() throws IOException {
        StubFunctions stubs = new StubFunctions();
        stubs.registry.registerAll(CorePlanFunctions.all());
        StubFunctions.STOCK.forEach((name, arity) -> {
            if (!name.equals("msg_check") && !name.equals("clog")) stubs.define(name, arity);
        });
        for (Path p : stockPlans()) {
            Problems problems = new Problems();
            assertNotNull(stubs.compiler().compile(p, p.toString(), "pcap", problems), problems.errors()::toString);
        }
    }

    @Test
    void missing_rtcp_functions_are_reported_with_positions() {
        Problems problems = new Problems();
        CompiledPlan plan = StubFunctions.stock(StubFunctions.RTCP)
                .compiler()
                .compile(PLANS.resolve("rtcp_capture_plan.cfg"), "rtcp.cfg", "", problems);
        assertNull(plan);
        assertEquals(
                List.of(
                        "rtcp.cfg:7:6: unknown function 'is_rtcp'",
                        "rtcp.cfg:10:7: unknown function 'is_rtcp_exist'",
                        "rtcp.cfg:13:8: unknown function 'parse_rtcp_to_json' (did you mean parse_isup_to_json?)"),
                problems.errors());
    }

    @Test
    void unsupported_functions_are_named_as_such() {
        Problems problems = new Problems();
        StubFunctions stubs = StubFunctions.stock(Set.of("parse_tls", "tzsp_payload_extract"));
        stubs.registry.decline(Set.of("parse_tls"));
        stubs.compiler().compile(PLANS.resolve("tls_capture_plan.cfg"), "tls.cfg", "", problems);
        assertEquals(List.of("tls.cfg:7:12: 'parse_tls' is not supported by heptap"), problems.errors());
    }

    @Test
    void every_corpus_file_goes_through_the_fuzz_entry_point() throws IOException {
        List<Path> all = new ArrayList<>(stockPlans());
        try (Stream<Path> s = Files.list(PLANS.resolve("bad"))) {
            s.filter(p -> p.toString().endsWith(".cfg")).forEach(all::add);
        }
        for (Path p : all) PlanParserFuzzTest.compileAndRun(Files.readAllBytes(p));
    }

    @Test
    void unreadable_file_is_a_problem_not_an_exception() {
        Problems problems = new Problems();
        assertNull(StubFunctions.stock(Set.of())
                .compiler()
                .compile(PLANS.resolve("no-such.cfg"), "no-such.cfg", "", problems));
        assertEquals(List.of("no-such.cfg: cannot read: no such file"), problems.errors());
        problems = new Problems();
        StubFunctions.stock(Set.of()).compiler().compile(PLANS, "plans", "", problems);
        assertEquals(List.of("plans: cannot read: is a directory"), problems.errors());
    }
}
