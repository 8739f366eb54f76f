package org.heptap.core.config;

import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes a configuration tree (maps in insertion order, lists, strings, numbers, booleans) as
 * block-style YAML that {@link ConfigLoader} reads back to the same values. SnakeYAML picks each
 * scalar's quoting, so a value with a quote, colon, {@code #}, line break, leading space or a
 * word YAML would read as another type ({@code yes}, {@code null}, {@code 0x1F}) stays the string
 * it was; text pasted together by hand gets these wrong.
 */
public final class YamlWriter {
    private YamlWriter() {}

    /** The tree as a YAML document: two-space indents, list items indented under their key. */
    public static String write(Map<String, ?> tree) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setSplitLines(false); // a long path or password stays on its line
        options.setAllowUnicode(true);
        return new Yaml(options).dump(tree);
    }
}
