package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration the documentation shows passes {@code heptap --check} as written: each
 * {@code ```yaml} block of README.md (found anew on every run, so a new example is checked too)
 * and each YAML file under conf/.
 */
@Offline
class DocumentedConfigIT {
    /** A README example, with the README line its block starts on. */
    record Example(int line, String yaml) {}

    @Test
    void every_yaml_example_in_the_readme_checks_ok(@TempDir Path dir) throws Exception {
        List<Example> examples = yamlBlocks(Files.readAllLines(Env.home().resolve("README.md")));
        assertFalse(examples.isEmpty(), "README.md shows no ```yaml example");
        // the examples name plans as conf/heptap.yaml does: relative to a captureplans/ beside the file
        Files.createSymbolicLink(dir.resolve("captureplans"), Env.home().resolve("conf/captureplans"));
        List<String> failures = new ArrayList<>();
        for (Example e : examples) {
            Path yaml = Files.writeString(dir.resolve("readme-line-" + e.line() + ".yaml"), e.yaml());
            String problem = checkProblem(yaml);
            if (problem != null) failures.add("README.md:" + e.line() + ": " + problem);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void every_yaml_file_in_conf_checks_ok() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Env.home().resolve("conf"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
        assertTrue(files.contains(Env.home().resolve("conf/heptap.yaml")), files.toString());
        for (Path f : files) {
            String problem = checkProblem(f);
            assertEquals(null, problem, f.toString());
        }
    }

    @Test
    void blocks_are_found_with_their_lines() {
        List<Example> found = yamlBlocks(
                List.of("text", "```yaml", "a: 1", "b: 2", "```", "```", "not: yaml", "```", "```yaml", "c: 3", "```"));
        assertEquals(List.of(new Example(2, "a: 1\nb: 2\n"), new Example(9, "c: 3\n")), found);
    }

    /** The ```yaml fenced blocks of a Markdown text. */
    static List<Example> yamlBlocks(List<String> markdown) {
        List<Example> out = new ArrayList<>();
        StringBuilder block = null;
        int start = 0;
        for (int i = 0; i < markdown.size(); i++) {
            String l = markdown.get(i);
            if (block == null) {
                if (l.strip().equals("```yaml") || l.strip().equals("```yml")) {
                    block = new StringBuilder();
                    start = i + 1;
                }
            } else if (l.strip().equals("```")) {
                out.add(new Example(start, block.toString()));
                block = null;
            } else {
                block.append(l).append('\n');
            }
        }
        assertEquals(null, block, "a ```yaml block opened on line " + start + " is never closed");
        return out;
    }

    /** Null when {@code heptap --config FILE --check} exits 0 saying ok; otherwise what it said. */
    private static String checkProblem(Path yaml) throws IOException, InterruptedException {
        Proc p = Proc.run(
                Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--config", yaml.toString(), "--check"));
        String out = p.stdout().strip();
        boolean ok = p.exitCode() == 0
                && out.matches("\\Q" + yaml + "\\E: ok \\(\\d+ socket\\(s\\), \\d+ transport\\(s\\)\\)");
        return ok
                ? null
                : "exit " + p.exitCode() + ": " + out + " " + p.stderr().strip();
    }
}
