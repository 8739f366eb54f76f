package org.heptap.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.heptap.core.config.Problems;
import org.heptap.core.message.Message;
import org.heptap.core.plan.ast.PlanFile;
import org.heptap.core.plan.compiler.PlanResolver;
import org.heptap.core.plan.functions.IsFlagSet;
import org.heptap.core.plan.functions.MsgCheck;
import org.heptap.core.plan.functions.SetTag;
import org.heptap.core.plan.lexer.PlanLexer;
import org.heptap.core.plan.parser.PlanParser;
import org.heptap.core.plan.source.Diagnostics;
import org.heptap.core.spi.PlanFunction;
import org.junit.jupiter.api.BeforeAll;

/**
 * Arbitrary text through lexer, parser and compiler, and any plan that compiles through the
 * runtime: nothing may throw, every problem must be a positioned report, and a plan is returned
 * exactly when there is no error.
 *
 * <p>Regression mode ({@code mvn test}) runs the seeds in {@code PlanParserFuzzTestInputs/parse}.
 * Fuzzing: {@code JAZZER_FUZZ=1 mvn -pl agent-core test -Dtest=PlanParserFuzzTest
 * -Djazzer.max_duration=60s}.
 */
class PlanParserFuzzTest {
    private static final FunctionRegistry REGISTRY = registry();
    private static final TransportResolver TRANSPORTS = TransportResolver.of(
            List.of(new StubFunctions.NullTransport("hepsocket"), new StubFunctions.NullTransport("homer2")));
    private static final Pattern POSITIONED = Pattern.compile("fuzz\\.cfg(:\\d+:\\d+)?: ");
    private static final Pattern INTERNAL_ERROR = Pattern.compile("fuzz\\.cfg(:\\d+:\\d+)?: internal error");

    @BeforeAll
    static void passDurationToJazzer() {
        JazzerDuration.apply();
    }

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        compileAndRun(input);
    }

    /** The fuzz entry point, also run over the corpus plans by {@link CorpusPlansTest}. */
    static void compileAndRun(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        // The stages are run directly first so a bug surfaces as an exception with its stack
        // trace; PlanCompiler would turn it into an "internal error" problem.
        Diagnostics diagnostics = new Diagnostics();
        PlanFile ast = PlanParser.parse(PlanLexer.scan(text, diagnostics), diagnostics);
        new PlanResolver(REGISTRY, TRANSPORTS, "fuzz", diagnostics).resolve(ast, "fuzz.cfg");

        Problems problems = new Problems();
        CompiledPlan plan = new PlanCompiler(REGISTRY, TRANSPORTS).compile(text, "fuzz.cfg", "fuzz", problems);
        assertEquals(diagnostics.errorCount(), problems.errors().size());
        assertEquals(
                problems.hasErrors(),
                plan == null,
                () -> "a plan is returned iff there is no error: " + problems.errors());
        for (String e : problems.errors()) {
            // anchored: user text echoed later in a message must not look like a finding
            assertTrue(POSITIONED.matcher(e).lookingAt(), e);
            assertFalse(INTERNAL_ERROR.matcher(e).lookingAt(), e);
        }
        for (String w : problems.warnings()) assertTrue(POSITIONED.matcher(w).lookingAt(), w);
        if (plan != null) {
            Message m = new Message();
            for (int i = 0; i < 2; i++) {
                m.reset();
                m.setAddresses(4, new byte[] {10, 0, 0, 1}, 0, new byte[] {10, 0, 0, 2}, 0);
                m.setPorts(5060, 5080 + i);
                m.setPayload(input, 0, input.length);
                plan.run(m);
            }
        }
    }

    /** Real core functions (their binding is under test too) plus stubs returning 1, -1 and 0. */
    private static FunctionRegistry registry() {
        FunctionRegistry r = new FunctionRegistry();
        r.registerAll(List.of(MsgCheck.FUNCTION, SetTag.FUNCTION, IsFlagSet.FUNCTION));
        StubFunctions.STOCK.forEach((name, arity) -> {
            if (!name.equals("msg_check")) r.register(stub(name, arity, 1));
        });
        r.register(stub("send_hep", 2, 1));
        String letters = "abcdefgh";
        int[] values = {1, -1, 0};
        for (int i = 0; i < letters.length(); i++) {
            for (int arity = 0; arity <= 2; arity++) {
                r.register(stub(String.valueOf(letters.charAt(i)), arity, values[i % 3]));
            }
        }
        return r;
    }

    private static PlanFunction stub(String name, int arity, int value) {
        return PlanFunction.of(name, arity, (args, ctx) -> {
            if ((name.startsWith("send_hep") || name.equals("send_json")) && ctx.transport(args.get(0)) == null)
                return null;
            return m -> value;
        });
    }

    /**
     * jazzer-junit 0.24 takes the fuzzing time only from {@code @FuzzTest(maxDuration)}; the build
     * passes {@code jazzer.max_duration} instead. Jazzer appends {@code jazzer.internal.arg.N}
     * configuration parameters to libFuzzer's arguments after its own, so the last
     * {@code -max_total_time} (ours) wins. A per-input {@code -timeout} turns a hang into a finding.
     */
    static final class JazzerDuration {
        static final int PER_INPUT_TIMEOUT_SECONDS = 10;

        static void apply() {
            String wanted = System.getProperty("jazzer.max_duration");
            if (wanted == null || wanted.isBlank()) return;
            long seconds;
            try {
                seconds = Duration.parse("PT" + wanted.strip().toUpperCase(Locale.ROOT))
                        .getSeconds();
            } catch (DateTimeParseException e) {
                return; // keep the annotation's duration
            }
            int next = 0;
            while (System.getProperty("jazzer.internal.arg." + next) != null) next++;
            if (next == 0) System.setProperty("jazzer.internal.arg." + next++, "jazzer"); // argv[0]
            System.setProperty("jazzer.internal.arg." + next++, "-max_total_time=" + seconds);
            System.setProperty("jazzer.internal.arg." + next, "-timeout=" + PER_INPUT_TIMEOUT_SECONDS);
        }
    }
}
