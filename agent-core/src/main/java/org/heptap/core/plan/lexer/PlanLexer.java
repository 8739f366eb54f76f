package org.heptap.core.plan.lexer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.heptap.core.plan.source.Diagnostics;
import org.heptap.core.plan.source.Position;

/**
 * Turns plan text into tokens the way captagent's flex scanner does (longest match, earlier rule
 * on ties), with a 1-based line and column on every token. The token list always ends with EOF
 * placed just after the last character.
 */
public final class PlanLexer {
    /** Stray characters beyond this many are counted, not reported one by one. */
    private static final int MAX_STRAY_WARNINGS = 20;

    private static final Map<String, TokenType> KEYWORDS = Map.ofEntries(
            Map.entry("forward", TokenType.FORWARD),
            Map.entry("drop", TokenType.DROP),
            Map.entry("break", TokenType.DROP),
            Map.entry("send", TokenType.SEND),
            Map.entry("capture", TokenType.CAPTURE),
            Map.entry("if", TokenType.IF),
            Map.entry("else", TokenType.ELSE),
            Map.entry("method", TokenType.METHOD),
            Map.entry("debug", TokenType.DEBUG),
            Map.entry("not", TokenType.NOT),
            Map.entry("and", TokenType.AND),
            Map.entry("or", TokenType.OR));

    private static final Map<String, Integer> BOOLEAN_WORDS =
            Map.of("yes", 1, "true", 1, "on", 1, "enable", 1, "no", 0, "false", 0, "off", 0, "disable", 0);

    private final String src;
    private final Diagnostics diagnostics;
    private final List<Token> tokens = new ArrayList<>();

    private int pos;
    private int line = 1;
    private int column = 1;

    private int start;
    private Position startAt;

    private int strayWarnings;
    private int straySuppressed;
    private Position firstSuppressedStray;

    /** Stock plans hold a few hundred tokens; captagent's largest a few thousand. */
    public static final int MAX_TOKENS = 20_000;

    private PlanLexer(String src, Diagnostics diagnostics) {
        this.src = src;
        this.diagnostics = diagnostics;
    }

    /** Scans the whole text; problems go to {@code diagnostics}, scanning never fails. */
    public static List<Token> scan(String source, Diagnostics diagnostics) {
        PlanLexer lexer = new PlanLexer(source, diagnostics);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        // A UTF-8 byte order mark is an editor artefact, not a stray character worth a warning.
        if (src.startsWith("\uFEFF")) pos = 1;
        while (pos < src.length()) {
            start = pos;
            startAt = new Position(line, column);
            if (tokens.size() >= MAX_TOKENS) {
                // the tokens and the tree of a 1 MB plan outgrow the agent's 64 MB heap
                diagnostics.error(
                        startAt,
                        "more than " + MAX_TOKENS
                                + " words and symbols: far more than a capture plan holds (is this the right file?)");
                tokens.clear();
                break;
            }
            scanToken();
        }
        if (straySuppressed > 0) {
            diagnostics.warning(
                    firstSuppressedStray,
                    straySuppressed + " more unexpected characters ignored from here on (not listed one by one)");
        }
        tokens.add(new Token(TokenType.EOF, "", "", 0, new Position(line, column)));
    }

    private void scanToken() {
        char c = advance();
        switch (c) {
            case ' ', '\t', '\b', '\r', '\n' -> {}
            case '\\' -> {
                if (peek() == '\n') {
                    advance(); // line continuation
                } else {
                    stray(c);
                }
            }
            case '#' -> lineComment();
            case '/' -> {
                if (peek() == '*') {
                    advance();
                    blockComment();
                } else {
                    add(TokenType.SLASH);
                }
            }
            case '"' -> string('"', true);
            case '\'' -> string('\'', false);
            case ',' -> add(TokenType.COMMA);
            case ';' -> add(TokenType.SEMICOLON);
            case '(' -> add(TokenType.LEFT_PAREN);
            case ')' -> add(TokenType.RIGHT_PAREN);
            case '{' -> add(TokenType.LEFT_BRACE);
            case '}' -> add(TokenType.RIGHT_BRACE);
            case '[' -> add(TokenType.LEFT_BRACKET);
            case ']' -> add(TokenType.RIGHT_BRACKET);
            case '.' -> add(TokenType.DOT);
            case '!' -> add(TokenType.NOT);
            case '=' -> {
                if (peek() == '=') {
                    advance();
                    add(TokenType.EQUALS);
                } else if (peek() == '~') {
                    advance();
                    add(TokenType.MATCHES);
                } else {
                    add(TokenType.ASSIGN);
                }
            }
            case '&' -> {
                if (peek() == '&') advance();
                add(TokenType.AND);
            }
            case '|' -> {
                if (peek() == '|') advance();
                add(TokenType.OR);
            }
            default -> wordNumberOrAddress(c);
        }
    }

    /** ID, keyword, NUMBER or IPV6ADDR: whichever rule matches the longest text from here. */
    private void wordNumberOrAddress(char c) {
        int wordEnd = start;
        if (isLetter(c)) {
            wordEnd = start + 1;
            while (wordEnd < src.length() && isWordChar(src.charAt(wordEnd))) wordEnd++;
        } else if (isDigit(c)) {
            wordEnd = start + 1;
            while (wordEnd < src.length() && isDigit(src.charAt(wordEnd))) wordEnd++;
        }
        int addressEnd = ipv6End();
        if (addressEnd > wordEnd) {
            advanceTo(addressEnd);
            add(TokenType.IPV6ADDR);
        } else if (wordEnd > start) {
            advanceTo(wordEnd);
            if (isDigit(c)) {
                number(src.substring(start, pos));
            } else {
                word(src.substring(start, pos));
            }
        } else {
            stray(c);
        }
    }

    /**
     * End of the IPV6ADDR starting at {@code start} (hex groups of up to four digits joined by
     * colons, at least one colon), or {@code start} when there is none.
     */
    private int ipv6End() {
        int p = start;
        int group = 0;
        boolean colon = false;
        boolean hex = false;
        while (p < src.length()) {
            char ch = src.charAt(p);
            if (ch == ':') {
                colon = true;
                group = 0;
            } else if (isHexDigit(ch) && group < 4) {
                hex = true;
                group++;
            } else {
                break;
            }
            p++;
        }
        // a single trailing colon belongs to whatever follows ("a:" is not an address, "a::" is)
        if (p - start >= 2 && src.charAt(p - 1) == ':' && src.charAt(p - 2) != ':') p--;
        if (!colon || p - start < 2) return start;
        boolean hasColon = src.substring(start, p).indexOf(':') >= 0;
        if (!hasColon || (!hex && !src.startsWith("::", start))) return start;
        return p;
    }

    private void word(String w) {
        TokenType keyword = KEYWORDS.get(w);
        if (keyword != null) {
            add(keyword);
            return;
        }
        Integer bool = BOOLEAN_WORDS.get(w);
        if (bool != null) {
            tokens.add(new Token(TokenType.NUMBER, w, w, bool, startAt));
            return;
        }
        add(TokenType.ID);
    }

    private void number(String digits) {
        // atoi on an out-of-range value is undefined in C; saturating keeps "non-zero is true".
        long value = 0;
        for (int i = 0; i < digits.length() && value <= Integer.MAX_VALUE; i++) {
            value = value * 10 + (digits.charAt(i) - '0');
        }
        tokens.add(new Token(TokenType.NUMBER, digits, digits, (int) Math.min(value, Integer.MAX_VALUE), startAt));
    }

    private void lineComment() {
        int newline = src.indexOf('\n', pos);
        if (newline < 0) {
            // captagent's rule needs the newline, so the rest of this line is plan text to it
            diagnostics.warning(
                    startAt,
                    "'#' on the last line does not start a comment because the file"
                            + " does not end with a newline; the rest of the line is read as plan text"
                            + " (add a newline at the end of the file)");
            return;
        }
        advanceTo(newline + 1);
    }

    private void blockComment() {
        int depth = 1;
        while (pos < src.length()) {
            char c = advance();
            if (c == '/' && peek() == '*') {
                advance();
                depth++;
            } else if (c == '*' && peek() == '/') {
                advance();
                if (--depth == 0) return;
            }
        }
        diagnostics.error(
                startAt,
                "comment not closed: no matching '*/' before the end of the file"
                        + " (comments nest, so every '/*' inside needs its own '*/')");
        tokens.add(new Token(TokenType.UNCLOSED, "comment", "", 0, startAt));
    }

    private void string(char quote, boolean escapes) {
        StringBuilder value = new StringBuilder();
        boolean spansLines = false;
        while (pos < src.length() && peek() != quote) {
            char c = advance();
            if (c == '\n') spansLines = true;
            if (c == '\\' && escapes && pos < src.length()) {
                char e = switch (peek()) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 'a' -> '\007';
                    case 't' -> '\t';
                    case '\\' -> '\\';
                    default -> 0;
                };
                if (e != 0) {
                    advance();
                    value.append(e);
                    continue;
                }
                // any other sequence (including \") keeps the backslash; the next character is read normally
            }
            value.append(c);
        }
        if (pos >= src.length()) {
            diagnostics.error(
                    startAt,
                    "string literal not closed before end of line " + startAt.line() + " (no closing " + quote
                            + " anywhere up to the end of the file)");
            tokens.add(new Token(TokenType.UNCLOSED, "string", value.toString(), 0, startAt));
            return;
        }
        advance();
        if (spansLines) {
            diagnostics.warning(
                    startAt,
                    "string literal runs over several lines; captagent accepts that," + " but check that no closing "
                            + quote + " is missing");
        }
        tokens.add(new Token(TokenType.STRING, src.substring(start, pos), value.toString(), 0, startAt));
    }

    private void stray(char c) {
        // runs of the same junk ("-----", binary garbage) are one warning, not one per character
        while (pos < src.length() && isPlainStray(peek())) advance();
        String chars = src.substring(start, pos);
        if (strayWarnings >= MAX_STRAY_WARNINGS) {
            if (straySuppressed == 0) firstSuppressedStray = startAt;
            straySuppressed += chars.length();
            return;
        }
        strayWarnings++;
        diagnostics.warning(
                startAt,
                (chars.length() == 1 ? "unexpected character " : "unexpected characters ") + show(chars)
                        + " ignored (captagent skips it too)");
    }

    /** Characters no rule starts with; '#', '\' and ':' are stray only in context. */
    private static boolean isPlainStray(char c) {
        if (isWordChar(c)) return false;
        return switch (c) {
            case ' ',
                    '\t',
                    '\b',
                    '\r',
                    '\n',
                    '\\',
                    '#',
                    '/',
                    '"',
                    '\'',
                    ',',
                    ';',
                    '(',
                    ')',
                    '{',
                    '}',
                    '[',
                    ']',
                    '.',
                    '!',
                    '=',
                    '&',
                    '|',
                    ':' -> false;
            default -> true;
        };
    }

    private static String show(String chars) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < chars.length() && i < 16; i++) {
            char c = chars.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (chars.length() > 16) sb.append("...");
        return sb.append('\'').toString();
    }

    private void add(TokenType type) {
        String lexeme = src.substring(start, pos);
        tokens.add(new Token(type, lexeme, lexeme, 0, startAt));
    }

    private char peek() {
        return pos < src.length() ? src.charAt(pos) : '\0';
    }

    private char advance() {
        char c = src.charAt(pos++);
        if (c == '\n') {
            line++;
            column = 1;
        } else if (!(Character.isLowSurrogate(c) && pos >= 2 && Character.isHighSurrogate(src.charAt(pos - 2)))) {
            column++; // a surrogate pair is one character on screen
        }
        return c;
    }

    private void advanceTo(int end) {
        while (pos < end) advance();
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordChar(char c) {
        return isLetter(c) || isDigit(c) || c == '_';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
