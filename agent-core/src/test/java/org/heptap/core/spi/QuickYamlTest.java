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
}
