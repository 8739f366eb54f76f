package org.heptap.core.config;

import java.util.Collection;

/** "Did you mean" suggestions for misspelt names (keys, functions, profiles). */
public final class Suggest {
    private Suggest() {}

    /** The candidate closest to {@code word} by edit distance, or null if none is close. */
    public static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int limit = Math.max(1, Math.min(3, word.length() / 3));
        return bestDistance <= limit ? best : closestByParts(word, candidates);
    }

    /**
     * The second chance for names made of words joined by '_' or '-': the candidate that has each
     * of the word's parts (each spelt within one edit, in any order), with the fewest edits and
     * then the fewest parts of its own. {@code is_methodd} is three edits from every plan function
     * (too many for a whole-name match) but is {@code x_is_method}'s parts "is" and "method".
     */
    static String closestByParts(String word, Collection<String> candidates) {
        String[] parts = parts(word);
        if (parts.length < 2) return null;
        String best = null;
        int bestEdits = Integer.MAX_VALUE;
        int bestParts = Integer.MAX_VALUE;
        for (String c : candidates) {
            String[] own = parts(c);
            int edits = 0;
            for (String p : parts) {
                int d = Integer.MAX_VALUE;
                for (String o : own) d = Math.min(d, distance(p, o));
                // a short part must match exactly: "is" is one edit from too many words
                if (d > (p.length() >= 3 ? 1 : 0)) {
                    edits = -1;
                    break;
                }
                edits += d;
            }
            if (edits < 0) continue;
            if (edits < bestEdits || (edits == bestEdits && own.length < bestParts)) {
                best = c;
                bestEdits = edits;
                bestParts = own.length;
            }
        }
        return best;
    }

    private static String[] parts(String name) {
        return name.toLowerCase().split("[_-]+");
    }

    /** " (did you mean x?)" or the empty string. */
    public static String hint(String word, Collection<String> candidates) {
        String c = closest(word, candidates);
        return c == null ? "" : " (did you mean " + c + "?)";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
