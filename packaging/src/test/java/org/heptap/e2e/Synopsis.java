package org.heptap.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The concrete command lines a usage line stands for. {@code [X]} is optional; {@code a|b|c}
 * picks one value; {@code -i DEV|-r FILE} picks one option with its arguments. The invocations
 * are: every optional part given, with each alternative in turn; and only the required parts,
 * with each of their alternatives in turn. A line without {@code [} or {@code |} is itself.
 */
final class Synopsis {
    private sealed interface Node permits Word, Optional, Choice {}

    private record Word(String text) implements Node {}

    private record Optional(List<Node> body) implements Node {}

    /** One of several sequences; compared by identity (two equal choices are still two). */
    private static final class Choice implements Node {
        final List<List<Node>> alternatives;

        Choice(List<List<Node>> alternatives) {
            this.alternatives = alternatives;
        }
    }

    private Synopsis() {}

    static boolean isSynopsis(String command) {
        return command.contains("[") || command.matches(".*\\S\\|\\S.*");
    }

    static List<List<String>> invocations(String usage) {
        List<String> tokens = tokens(usage);
        int[] at = {0};
        List<Node> tree = sequence(tokens, at);
        if (at[0] != tokens.size()) throw new IllegalArgumentException("unbalanced ] in usage line: " + usage);
        Set<List<String>> out = new LinkedHashSet<>();
        for (boolean optionals : new boolean[] {true, false}) {
            List<Choice> choices = new ArrayList<>();
            collect(tree, optionals, choices);
            out.add(expand(tree, optionals, Map.of()));
            for (Choice c : choices) {
                for (int i = 1; i < c.alternatives.size(); i++) {
                    Map<Choice, Integer> pick = new IdentityHashMap<>();
                    pick.put(c, i);
                    out.add(expand(tree, optionals, pick));
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static List<String> tokens(String usage) {
        List<String> out = new ArrayList<>();
        for (String w : usage.trim().split("\\s+")) {
            int open = 0;
            while (open < w.length() && w.charAt(open) == '[') open++;
            int close = w.length();
            while (close > open && w.charAt(close - 1) == ']') close--;
            for (int i = 0; i < open; i++) out.add("[");
            if (close > open) out.add(w.substring(open, close));
            for (int i = close; i < w.length(); i++) out.add("]");
        }
        return out;
    }

    private static List<Node> sequence(List<String> tokens, int[] at) {
        List<Node> seq = new ArrayList<>();
        while (at[0] < tokens.size()) {
            String t = tokens.get(at[0]);
            if (t.equals("]")) return seq;
            at[0]++;
            if (t.equals("[")) {
                seq.add(new Optional(sequence(tokens, at)));
                if (at[0] >= tokens.size()) throw new IllegalArgumentException("unclosed [ in usage line: " + tokens);
                at[0]++;
            } else if (!t.contains("|") || t.equals("|")) {
                seq.add(new Word(t));
            } else {
                List<String> parts = Arrays.asList(t.split("\\|", -1));
                if (parts.stream().skip(1).anyMatch(p -> p.startsWith("-"))) {
                    seq.add(optionChoice(seq, parts, tokens, at));
                } else {
                    List<List<Node>> alts = new ArrayList<>();
                    for (String p : parts) alts.add(List.of(new Word(p)));
                    seq.add(new Choice(alts));
                }
            }
        }
        return seq;
    }

    /** {@code -i DEV|-r FILE}: the option before (with its words) or the option after (with the words that follow it). */
    private static Choice optionChoice(List<Node> seq, List<String> parts, List<String> tokens, int[] at) {
        int option = seq.size() - 1;
        while (option >= 0 && !(seq.get(option) instanceof Word w && w.text().startsWith("-"))) option--;
        if (option < 0) throw new IllegalArgumentException("'" + String.join("|", parts) + "' follows no option");
        List<Node> first = new ArrayList<>(seq.subList(option, seq.size()));
        seq.subList(option, seq.size()).clear();
        first.add(new Word(parts.get(0)));
        List<List<Node>> alts = new ArrayList<>(List.of(first));
        for (int i = 1; i < parts.size(); i++) alts.add(new ArrayList<>(List.of(new Word(parts.get(i)))));
        List<Node> last = alts.get(alts.size() - 1);
        while (at[0] < tokens.size()
                && !tokens.get(at[0]).startsWith("-")
                && !tokens.get(at[0]).equals("[")
                && !tokens.get(at[0]).equals("]")) {
            last.add(new Word(tokens.get(at[0]++)));
        }
        return new Choice(alts);
    }

    private static void collect(List<Node> seq, boolean optionals, List<Choice> out) {
        for (Node n : seq) {
            if (n instanceof Optional o && optionals) collect(o.body(), true, out);
            if (n instanceof Choice c) {
                out.add(c);
                for (List<Node> alt : c.alternatives) collect(alt, optionals, out);
            }
        }
    }

    private static List<String> expand(List<Node> seq, boolean optionals, Map<Choice, Integer> pick) {
        List<String> out = new ArrayList<>();
        for (Node n : seq) {
            if (n instanceof Word w) out.add(w.text());
            else if (n instanceof Optional o && optionals) out.addAll(expand(o.body(), true, pick));
            else if (n instanceof Choice c)
                out.addAll(expand(c.alternatives.get(pick.getOrDefault(c, 0)), optionals, pick));
        }
        return out;
    }
}
