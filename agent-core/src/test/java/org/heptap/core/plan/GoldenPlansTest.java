package org.heptap.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.heptap.core.config.Problems;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: a plan in (inline after {@code plan:} or a corpus file after {@code plan-file:}),
 * then cases of stub return values and the calls and value expected out. The expectations are
 * captagent's, not a record of heptap's output: each golden file states the rules of captagent's
 * evaluator (src/conf_function.c) it follows, and each case names the rule it shows.
 */
class GoldenPlansTest {
    private static final List<String> FILES = List.of("stock_plans.golden", "operators.golden");

    @TestFactory
    List<DynamicTest> golden_plans_decide_as_recorded() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String file : FILES) tests.addAll(casesOf(file));
        return tests;
    }

    private static List<DynamicTest> casesOf(String file) throws IOException {
        List<String> lines;
        try (InputStream in = GoldenPlansTest.class.getResourceAsStream("golden/" + file)) {
            assertNotNull(in, "missing golden file " + file);
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        }
        List<DynamicTest> tests = new ArrayList<>();
        String planText = null;
        String planName = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("plan-file:")) {
                planName = line.substring("plan-file:".length()).strip();
                planText = Files.readString(SharedCorpus.plans().resolve(planName));
            } else if (line.equals("plan:")) {
                StringBuilder sb = new StringBuilder();
                while (i + 1 < lines.size() && !lines.get(i + 1).startsWith("case:"))
                    sb.append(lines.get(++i)).append('\n');
                planText = sb.toString();
                planName = file + ":" + (i + 1);
            } else if (line.startsWith("case:")) {
                String returns = line.substring("case:".length()).strip();
                String calls = field(lines.get(++i), "calls:");
                int value = Integer.parseInt(field(lines.get(++i), "value:"));
                String text = planText;
                tests.add(DynamicTest.dynamicTest(
                        planName + " [" + returns + "]", () -> check(text, returns, calls, value)));
            }
        }
        return tests;
    }

    private static String field(String line, String name) {
        if (!line.startsWith(name)) throw new IllegalArgumentException("expected '" + name + "', got: " + line);
        return line.substring(name.length()).strip();
    }

    private static void check(String planText, String returns, String calls, int value) {
        StubFunctions stubs = StubFunctions.stock(Set.of());
        for (char c = 'a'; c <= 'h'; c++) stubs.define(String.valueOf(c), 0);
        Problems problems = new Problems();
        CompiledPlan plan = stubs.compile(planText, problems);
        assertNotNull(plan, problems.errors()::toString);
        for (String r : returns.split("\\s+")) {
            if (r.isEmpty()) continue;
            String[] kv = r.split("=");
            stubs.returning(kv[0], Integer.parseInt(kv[1]));
        }
        int actual = stubs.run(plan);
        assertEquals(calls, String.join(" ", stubs.calls));
        assertEquals(value, actual);
    }
}
