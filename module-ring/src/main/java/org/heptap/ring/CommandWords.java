package org.heptap.ring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The words of a control command ({@code KEY=VALUE} or a bare flag), checked against what the command knows. */
final class CommandWords {
    private final Map<String, String> values = new LinkedHashMap<>();

    private CommandWords() {}

    /** The words, or an {@link IllegalArgumentException} naming the first one not in {@code known}. */
    static CommandWords parse(String command, List<String> words, Set<String> known) {
        CommandWords w = new CommandWords();
        for (String word : words) {
            int eq = word.indexOf('=');
            String key = eq < 0 ? word : word.substring(0, eq);
            if (!known.contains(key))
                throw new IllegalArgumentException(
                        command + ": unknown option '" + key + "' (known: " + String.join(", ", known) + ")");
            w.values.put(key, eq < 0 ? "" : word.substring(eq + 1));
        }
        return w;
    }

    String get(String key) {
        return values.get(key);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    long number(String key, long def) {
        String v = values.get(key);
        if (v == null) return def;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a number");
        }
    }
}
