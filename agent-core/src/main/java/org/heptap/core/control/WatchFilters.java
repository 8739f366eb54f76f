package org.heptap.core.control;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code heptapctl watch} filters as the control socket takes them: {@code --KEY VALUE},
 * {@code --KEY=VALUE} and {@code KEY=VALUE} all become the word {@code KEY=VALUE}. Which keys
 * exist is the agent's business (its modules' watch filters), so none is known here.
 */
final class WatchFilters {
    private WatchFilters() {}

    /** The words for {@code args}; a usage error (reported on {@code watch}) for anything else. */
    static List<String> toWords(List<String> args, CommandLine watch) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String word;
            if (a.startsWith("--") && a.length() > 2) {
                String key = a.substring(2);
                if (key.indexOf('=') > 0) {
                    word = key;
                } else if (i + 1 < args.size()) {
                    word = key + "=" + args.get(++i);
                } else {
                    throw new ParameterException(watch, a + " needs a value");
                }
            } else if (a.indexOf('=') > 0) {
                word = a;
            } else {
                throw new ParameterException(
                        watch, "'" + a + "' is not a filter (--KEY VALUE or KEY=VALUE, e.g. --method INVITE)");
            }
            if (word.chars().anyMatch(Character::isWhitespace)) {
                throw new ParameterException(watch, "'" + word + "': a filter value cannot contain blanks");
            }
            words.add(word);
        }
        return words;
    }
}
