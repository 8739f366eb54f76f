package org.heptap.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands a Markdown text shows: lines of indented (4-space) code and of plain,
 * {@code sh}, {@code bash}, {@code shell} or {@code console} fenced blocks that start with one
 * of the project's commands ({@link #PROGRAMS}). A trailing {@code \} joins the next line; a
 * trailing {@code # comment} is dropped, except that {@code # or: COMMAND} is one more command.
 * A {@code $ } prompt and {@code sudo } are not part of the command.
 */
final class ReadmeCommands {
    /** A command as written, with the 1-based line it starts on. */
    record Command(int line, String text) {}

    /** What a command line starts with; {@code bench/} is any script in bench/. */
    static final List<String> PROGRAMS = List.of(
            "bin/heptapctl",
            "bin/heptap",
            "heptapctl",
            "heptap",
            "bin/quickstart",
            "bin/test-all",
            "bench/",
            "systemctl",
            "mvn",
            "curl");

    private static final Set<String> SHELL_FENCES = Set.of("", "sh", "bash", "shell", "console");
    private static final Pattern OR_COMMENT = Pattern.compile("#\\s*or:\\s*(.+)");

    private ReadmeCommands() {}

    static List<Command> extract(List<String> markdown) {
        List<Command> out = new ArrayList<>();
        String fence = null; // the open fence's language, null outside a fenced block
        StringBuilder joined = null;
        int start = 0;
        for (int i = 0; i < markdown.size(); i++) {
            String l = markdown.get(i);
            if (joined != null) { // continuation of the line before, whatever its indentation
                joined.append(' ').append(l.strip());
                if (!endsWithBackslash(joined)) {
                    add(out, start, joined.toString());
                    joined = null;
                } else {
                    joined.setLength(joined.length() - 1);
                }
                continue;
            }
            if (l.strip().startsWith("```")) {
                fence = fence == null ? l.strip().substring(3).strip() : null;
                continue;
            }
            boolean code = fence != null ? SHELL_FENCES.contains(fence) : l.startsWith("    ") || l.startsWith("\t");
            if (!code) continue;
            String text = withoutPrompt(l.strip());
            if (!isCommand(text)) continue;
            if (text.endsWith("\\")) {
                joined = new StringBuilder(text.substring(0, text.length() - 1).strip());
                start = i + 1;
            } else {
                add(out, i + 1, text);
            }
        }
        if (joined != null) add(out, start, joined.toString());
        return out;
    }

    private static boolean endsWithBackslash(StringBuilder s) {
        return s.length() > 0 && s.charAt(s.length() - 1) == '\\';
    }

    /** The command, and the one a {@code # or: COMMAND} comment names. */
    private static void add(List<Command> out, int line, String text) {
        int comment = commentStart(text);
        String command = comment < 0 ? text : text.substring(0, comment);
        out.add(new Command(line, command.strip().replaceAll("\\s+", " ")));
        if (comment >= 0) {
            Matcher or = OR_COMMENT.matcher(text.substring(comment).strip());
            if (or.matches() && isCommand(or.group(1).strip()))
                out.add(new Command(line, or.group(1).strip()));
        }
    }

    /** Where a shell comment starts ({@code #} after white space, outside quotes), or -1. */
    private static int commentStart(String text) {
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && i > 0 && Character.isWhitespace(text.charAt(i - 1))) {
                return i;
            }
        }
        return -1;
    }

    private static String withoutPrompt(String text) {
        String t = text;
        if (t.startsWith("$ ")) t = t.substring(2).strip();
        if (t.startsWith("sudo ")) t = t.substring(5).strip();
        return t;
    }

    static boolean isCommand(String text) {
        for (String p : PROGRAMS) {
            if (!text.startsWith(p)) continue;
            if (p.endsWith("/") || text.length() == p.length() || Character.isWhitespace(text.charAt(p.length())))
                return true;
        }
        return false;
    }
}
