package org.heptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/** README.md's option table ("Command line") and heptap's picocli model list the same options. */
class ReadmeOptionsTest {
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--?[A-Za-z][\\w-]*)");

    @Test
    void every_option_is_in_the_readme_table_and_every_table_option_is_an_option() throws IOException {
        Set<String> documented = documentedOptions(readme());
        List<OptionSpec> model =
                CommandLine.withModules().model().getCommandSpec().options();
        List<String> undocumented = new ArrayList<>();
        Set<String> known = new TreeSet<>();
        for (OptionSpec o : model) {
            known.addAll(List.of(o.names()));
            if (List.of(o.names()).stream().noneMatch(documented::contains))
                undocumented.add(String.join(", ", o.names()));
        }
        assertEquals(List.of(), undocumented, "options missing from README.md's option table");
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(known);
        assertEquals(Set.of(), unknown, "README.md's option table names options heptap does not have");
    }

    @Test
    void the_table_is_read_from_its_first_column_only() {
        String table =
                "## Command line\n\n| option | meaning |\n|---|---|\n| `--a FILE`, `-b --c-d X` | like `--not-this` |\n\n### Exit codes\n";
        assertEquals(Set.of("--a", "-b", "--c-d"), documentedOptions(table));
    }

    private static String readme() throws IOException {
        Path file = Path.of(System.getProperty("heptap.home", "..")).resolve("README.md");
        assertTrue(Files.isRegularFile(file), file + " (heptap.home)");
        return Files.readString(file);
    }

    /** The option names in the first column of the table under "## Command line". */
    static Set<String> documentedOptions(String readme) {
        String section = readme.substring(readme.indexOf("## Command line"));
        int end = section.indexOf("\n#", 1);
        if (end > 0) section = section.substring(0, end);
        Set<String> out = new TreeSet<>();
        for (String line : section.split("\n")) {
            if (!line.startsWith("| `")) continue;
            // the first column ends at the first | that is not escaped (\| stands for a literal bar)
            String row = line.substring(1).replace("\\|", "\u0000");
            String first = row.substring(0, row.indexOf('|'));
            Matcher code = CODE.matcher(first);
            while (code.find()) {
                Matcher m = OPTION.matcher(code.group(1));
                while (m.find()) out.add(m.group(1));
            }
        }
        return out;
    }
}
