package org.heptap.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class QuickYamlTest {
    /** A flag's value (a password, a node name, a folder) reads back exactly as given. */
    @Test
    void a_quoted_value_reads_back_as_it_was_whatever_it_holds() {
        for (String v : List.of(
                "plain",
                "two\nlines",
                "it's",
                "a: b # c",
                "\"quoted\"",
                "tab\there",
                " lead",
                "",
                "ü€",
                "\\back",
                "x".repeat(500))) {
            Map<String, Object> m = new Yaml().load("k: " + QuickYaml.quote(v) + "\n");
            assertEquals(v, m.get("k"), v);
        }
    }

    /** A line per flag given, none for a flag not given; the value reads back as it was. */
    @Test
    void a_scalar_line_is_written_only_for_a_value() {
        StringBuilder y = new StringBuilder("s:\n");
        QuickYaml.scalar(y, "  dir", "/var/spool/heptap: #1");
        QuickYaml.scalar(y, "  max-size", null);
        assertEquals("s:\n  dir: \"/var/spool/heptap: #1\"\n", y.toString());
        Map<String, Object> m = new Yaml().load(y.toString());
        assertEquals(Map.of("dir", "/var/spool/heptap: #1"), m.get("s"));
    }
}
