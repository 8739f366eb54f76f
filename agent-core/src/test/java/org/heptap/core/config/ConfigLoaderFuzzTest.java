package org.heptap.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Arbitrary text as {@code heptap.yaml}, through the YAML limits and the whole loader (every
 * section, key and value the core reads): nothing may throw, every problem is a report naming
 * the file, and a configuration is returned exactly when there is no error.
 *
 * <p>Bounded so the target itself cannot exhaust memory: inputs above 256 KB are cut (libFuzzer's
 * own inputs stay far smaller), and what is left is bounded by {@link BoundedYaml}'s node, depth
 * and alias limits. Seeds: {@code src/test/resources/org/heptap/core/config/ConfigLoaderFuzzTestInputs/load/}.
 */
class ConfigLoaderFuzzTest {
    private static final int MAX_INPUT = 256 << 10;
    private static final Pattern REPORTED = Pattern.compile("fuzz\\.yaml(:\\d+)?: ");

    @FuzzTest(maxDuration = "10s")
    void load(byte[] input) {
        String text = new String(input, 0, Math.min(input.length, MAX_INPUT), StandardCharsets.UTF_8);
        Problems problems = new Problems();
        ConfigNode root = ConfigNode.parse(new StringReader(text), "fuzz.yaml", problems);
        Path here = Path.of("").toAbsolutePath();
        AgentConfig config =
                new ConfigLoader(true, false, ConfigLoader.Overrides.NONE).build(root, here, Path.of(""), problems);
        assertEquals(
                problems.hasErrors(),
                config == null,
                () -> "a configuration is returned iff there is no error: " + problems.errors());
        // anchored: text of the input echoed in a message must not look like a report
        for (String e : problems.errors()) assertTrue(REPORTED.matcher(e).lookingAt(), e);
        for (String w : problems.warnings()) assertTrue(REPORTED.matcher(w).lookingAt(), w);
    }
}
