package org.heptap.core.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML node with its position, read through typed accessors that report every problem as
 * {@code file:line: key.path: problem} into a {@link Problems}. Accessors remember which keys
 * were read, so {@link #finish()} can report the unknown ones. Modules read their own sections
 * through the same class.
 */
public final class ConfigNode {
    private final String file;
    private final String path;
    private final Node node;
    private final Problems problems;
    private final Map<String, NodeTuple> entries;
    private final Set<String> consumed = new LinkedHashSet<>();
    /** Every key an accessor asked for, present or not: the suggestions for unknown keys. */
    private final Set<String> asked = new LinkedHashSet<>();

    private ConfigNode(String file, String path, Node node, Problems problems) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.problems = problems;
        if (node instanceof MappingNode m) {
            Map<String, NodeTuple> map = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    if (map.containsKey(k.getValue())) {
                        problems.error(file, line(k), join(path, k.getValue()) + ": duplicate key");
                    }
                    map.put(k.getValue(), t);
                } else {
                    problems.error(
                            file,
                            line(t.getKeyNode()),
                            (path.isEmpty() ? "" : path + ": ") + "keys must be plain names");
                }
            }
            this.entries = map;
        } else {
            this.entries = Collections.emptyMap();
        }
    }

    /**
     * Configuration files are tens of KB (the bundled one, every key commented, is 19 KB); a
     * larger one is the wrong file and is refused before it is parsed.
     */
    public static final long MAX_FILE_BYTES = 1 << 20;

    /** Parses a YAML file; syntax errors are reported and yield an empty mapping. */
    public static ConfigNode load(Path file, String displayName, Problems problems) {
        String text;
        try {
            text = utf8(BoundedFile.read(file, MAX_FILE_BYTES, "a configuration file"));
        } catch (BoundedFile.TooLargeException e) {
            problems.error(displayName + ": " + e.getMessage());
            return empty(displayName, problems);
        } catch (CharacterCodingException e) {
            problems.error(displayName + ": is not UTF-8 text (is this the configuration file?)");
            return empty(displayName, problems);
        } catch (IOException e) {
            problems.error(displayName + ": cannot read: " + BoundedFile.reason(e));
            return empty(displayName, problems);
        }
        return parse(new StringReader(text), displayName, problems);
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** Parses YAML text within {@link BoundedYaml}'s limits; every problem is reported, none thrown. */
    public static ConfigNode parse(Reader reader, String displayName, Problems problems) {
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(true); // we report duplicates ourselves, with their line
        try {
            Node root = BoundedYaml.compose(reader, opts);
            if (root == null) return empty(displayName, problems);
            if (!(root instanceof MappingNode)) {
                problems.error(
                        displayName,
                        line(root),
                        "the file must hold a mapping of sections (agent, sockets, transports, modules)");
                return empty(displayName, problems);
            }
            return new ConfigNode(displayName, "", root, problems);
        } catch (BoundedYaml.LimitException e) {
            problems.error(displayName, e.getProblemMark().getLine() + 1, e.getProblem());
            return empty(displayName, problems);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            problems.error(displayName, line, "YAML syntax: " + e.getProblem());
            return empty(displayName, problems);
        } catch (RuntimeException e) {
            problems.error(displayName + ": YAML: " + e.getMessage());
            return empty(displayName, problems);
        }
    }

    /** An empty mapping, standing in for an absent section so callers get their defaults. */
    public static ConfigNode empty(String file, Problems problems) {
        return new ConfigNode(
                file,
                "",
                new MappingNode(
                        org.yaml.snakeyaml.nodes.Tag.MAP,
                        new ArrayList<>(),
                        org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK),
                problems);
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public String file() {
        return file;
    }
    /** Dotted key path of this node, e.g. {@code transports.collector}. */
    public String path() {
        return path;
    }

    public int line() {
        return line(node);
    }

    public Problems problems() {
        return problems;
    }

    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode;
    }

    public boolean isSequence() {
        return node instanceof SequenceNode;
    }

    /** Reports a problem at this node's line, prefixed with its key path. */
    public void error(String message) {
        problems.error(file, line(), (path.isEmpty() ? "" : path + ": ") + message);
    }

    public void warning(String message) {
        problems.warning(file, line(), (path.isEmpty() ? "" : path + ": ") + message);
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** The child node for {@code key} (marking it read), or null when absent. */
    public ConfigNode child(String key) {
        asked.add(key);
        NodeTuple t = entries.get(key);
        if (t == null) return null;
        consumed.add(key);
        return new ConfigNode(file, join(path, key), t.getValueNode(), problems);
    }

    /** The child mapping for {@code key}, or an empty mapping at this node's path when absent. */
    public ConfigNode section(String key) {
        ConfigNode c = child(key);
        if (c == null)
            return new ConfigNode(
                    file,
                    join(path, key),
                    new MappingNode(
                            org.yaml.snakeyaml.nodes.Tag.MAP,
                            new ArrayList<>(),
                            org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK),
                    problems);
        if (!c.isMapping() && !c.isNull()) {
            c.error("must be a mapping of keys");
            return new ConfigNode(
                    file,
                    join(path, key),
                    new MappingNode(
                            org.yaml.snakeyaml.nodes.Tag.MAP,
                            new ArrayList<>(),
                            org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK),
                    problems);
        }
        return c.isNull()
                ? new ConfigNode(
                        file,
                        c.path,
                        new MappingNode(
                                org.yaml.snakeyaml.nodes.Tag.MAP,
                                new ArrayList<>(),
                                org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK),
                        problems)
                : c;
    }

    /** Every entry of this mapping as a child node, in file order (all marked read). */
    public Map<String, ConfigNode> children() {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        for (String k : entries.keySet()) out.put(k, child(k));
        return out;
    }

    /** Elements of a sequence node (a scalar counts as a one-element list). */
    public List<ConfigNode> elements() {
        if (node instanceof SequenceNode s) {
            List<ConfigNode> out = new ArrayList<>();
            int i = 0;
            for (Node n : s.getValue()) out.add(new ConfigNode(file, path + "[" + (i++) + "]", n, problems));
            return out;
        }
        if (node instanceof ScalarNode && !isNull()) return List.of(this);
        return List.of();
    }

    public boolean isNull() {
        return node instanceof ScalarNode s
                && (s.getTag().getValue().endsWith(":null")
                        || s.getValue().isEmpty() && s.getTag().getValue().endsWith(":null"));
    }

    /** Scalar text of this node, or null (with an error) if it is not a scalar. */
    public String text() {
        if (node instanceof ScalarNode s) return isNull() ? null : s.getValue();
        error("must be a single value, not a " + (node instanceof MappingNode ? "mapping" : "list"));
        return null;
    }

    public String string(String key, String def) {
        ConfigNode c = child(key);
        if (c == null || c.isNull()) return def;
        String v = c.text();
        return v == null ? def : v;
    }

    public boolean bool(String key, boolean def) {
        ConfigNode c = child(key);
        if (c == null || c.isNull()) return def;
        String v = c.text();
        if (v == null) return def;
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> {
                return true;
            }
            case "false", "no", "off" -> {
                return false;
            }
            default -> {
                c.error(v + " is not true or false");
                return def;
            }
        }
    }

    public long integer(String key, long def, long min, long max) {
        ConfigNode c = child(key);
        if (c == null || c.isNull()) return def;
        String v = c.text();
        if (v == null) return def;
        try {
            long n = Long.parseLong(v.trim());
            if (n < min || n > max) {
                c.error(v + " is out of range (" + min + "-" + max + ")");
                return def;
            }
            return n;
        } catch (NumberFormatException e) {
            c.error(v + " is not a whole number");
            return def;
        }
    }

    public int port(String key, int def) {
        ConfigNode c = child(key);
        if (c == null || c.isNull()) return def;
        String v = c.text();
        if (v == null) return def;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1 || n > 65535) {
                c.error(v + " is not a port (1-65535)");
                return def;
            }
            return n;
        } catch (NumberFormatException e) {
            c.error(v + " is not a port (1-65535)");
            return def;
        }
    }

    /** A byte size: {@code 1048576}, {@code 64k}, {@code 32MB}, {@code 1g}. */
    public long size(String key, long def) {
        ConfigNode c = child(key);
        if (c == null || c.isNull()) return def;
        String v = c.text();
        if (v == null) return def;
        long n = parseSize(v);
        if (n < 0) {
            c.error(v + " is not a size (e.g. 65535, 64k, 32MB)");
            return def;
        }
        return n;
    }

    public static long parseSize(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) s = s.substring(0, s.length() - 2);
        else if (s.endsWith("b")) s = s.substring(0, s.length() - 1);
        long mult = 1;
        if (s.endsWith("k")) {
            mult = 1L << 10;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            mult = 1L << 20;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("g")) {
            mult = 1L << 30;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s.trim());
            return n < 0 ? -1 : n * mult;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Longest duration a key may have: every timeout and window the agent has is far shorter, and
     * the loader turns durations into nanoseconds, which a duration of centuries overflows.
     */
    static final Duration MAX_DURATION = Duration.ofDays(365);

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

    /** A duration: {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number is seconds; 0 to 365 days. */
    public Duration duration(String key, Duration def) {
        ConfigNode c = child(key);
        if (c == null || c.isNull()) return def;
        String v = c.text();
        if (v == null) return def;
        Duration d = parseDuration(v);
        if (d == null) {
            c.error(v + " is not a duration (e.g. 30s, 500ms, 2m)");
            return def;
        }
        if (d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
            c.error(v + " is out of range (0s to 365 days)");
            return def;
        }
        return d;
    }

    /** The duration {@code v} names, or null when it names none; never throws, whatever its size. */
    public static Duration parseDuration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms"))
                return Duration.ofMillis(
                        Long.parseLong(s.substring(0, s.length() - 2).trim()));
            if (s.endsWith("s")) return seconds(s.substring(0, s.length() - 1).trim());
            if (s.endsWith("m"))
                return Duration.ofSeconds(Math.multiplyExact(
                        Long.parseLong(s.substring(0, s.length() - 1).trim()), 60));
            if (s.endsWith("h"))
                return Duration.ofSeconds(Math.multiplyExact(
                        Long.parseLong(s.substring(0, s.length() - 1).trim()), 3600));
            return seconds(s);
        } catch (NumberFormatException e) {
            return null;
        } catch (ArithmeticException e) {
            return Duration.ofSeconds(Long.MAX_VALUE); // a number too big for any duration: out of range
        }
    }

    private static Duration seconds(String number) {
        // Double.parseDouble also takes 1e9, NaN, 0x1p3 and 400d (which an operator reads as days)
        if (!DECIMAL.matcher(number).matches()) return null;
        return Duration.ofMillis(
                Math.round(Double.parseDouble(number) * 1000)); // beyond a long: Long.MAX_VALUE, out of range
    }

    /** One of a fixed set of words (case-insensitive); reports the allowed ones otherwise. */
    public String oneOf(String key, String def, String... allowed) {
        ConfigNode c = child(key);
        if (c == null || c.isNull()) return def;
        String v = c.text();
        if (v == null) return def;
        for (String a : allowed) if (a.equalsIgnoreCase(v.trim())) return a;
        c.error(v + " is not one of " + String.join(", ", allowed) + Suggest.hint(v, Arrays.asList(allowed)));
        return def;
    }

    /** A list of strings; a single scalar is a one-element list. */
    public List<String> strings(String key) {
        ConfigNode c = child(key);
        if (c == null || c.isNull()) return List.of();
        List<String> out = new ArrayList<>();
        for (ConfigNode e : c.elements()) {
            String t = e.text();
            if (t != null) out.add(t);
        }
        return out;
    }

    /** Reports every key of this mapping that no accessor read, with a suggestion. */
    public void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!consumed.contains(e.getKey())) {
                problems.error(
                        file,
                        line(e.getValue().getKeyNode()),
                        join(path, e.getKey()) + ": unknown key" + Suggest.hint(e.getKey(), asked));
            }
        }
    }

    /** Like {@link #finish()}, with the full list of keys this section accepts for suggestions. */
    public void finish(Set<String> knownKeys) {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!consumed.contains(e.getKey())) {
                problems.error(
                        file,
                        line(e.getValue().getKeyNode()),
                        join(path, e.getKey()) + ": unknown key" + Suggest.hint(e.getKey(), knownKeys));
            }
        }
    }
}
