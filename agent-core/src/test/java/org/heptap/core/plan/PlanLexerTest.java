package org.heptap.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.heptap.core.config.Problems;
import org.heptap.core.plan.lexer.PlanLexer;
import org.heptap.core.plan.lexer.Token;
import org.heptap.core.plan.lexer.TokenType;
import org.heptap.core.plan.source.Diagnostics;
import org.junit.jupiter.api.Test;

class PlanLexerTest {
    private Problems problems;

    private List<Token> scan(String src) {
        Diagnostics d = new Diagnostics();
        List<Token> tokens = PlanLexer.scan(src, d);
        problems = new Problems();
        d.reportTo(problems, "t.cfg");
        return tokens;
    }

    private String types(String src) {
        return scan(src).stream().map(t -> t.type().name()).collect(Collectors.joining(" "));
    }

    @Test
    void nested_block_comment_is_one_comment() {
        assertEquals("ID EOF", types("/* a /* b */ c */ x"));
        assertTrue(problems.warnings().isEmpty());
    }

    @Test
    void unclosed_block_comment_is_an_error_at_its_start() {
        assertEquals("ID UNCLOSED EOF", types("x\n  /* a /* b */ c"));
        assertEquals(
                List.of("t.cfg:2:3: comment not closed: no matching '*/' before the end of the file"
                        + " (comments nest, so every '/*' inside needs its own '*/')"),
                problems.errors());
    }

    @Test
    void hash_comment_runs_to_end_of_line() {
        assertEquals("ID ID EOF", types("a # b c\nd"));
    }

    @Test
    void hash_on_last_line_without_newline_is_not_a_comment() {
        assertEquals("ID DROP EOF", types("a\n# drop"));
        assertEquals(1, problems.warnings().size());
        assertTrue(problems.warnings().get(0).startsWith("t.cfg:2:1: warning: '#' on the last line"));
    }

    @Test
    void break_is_drop_and_longer_words_are_identifiers() {
        List<Token> t = scan("break drop dropx drop_1 IF if");
        assertEquals(
                List.of(
                        TokenType.DROP,
                        TokenType.DROP,
                        TokenType.ID,
                        TokenType.ID,
                        TokenType.ID,
                        TokenType.IF,
                        TokenType.EOF),
                t.stream().map(Token::type).toList());
    }

    @Test
    void boolean_words_are_numbers() {
        List<Token> t = scan("yes true on enable no false off disable 42 007");
        int[] expected = {1, 1, 1, 1, 0, 0, 0, 0, 42, 7};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(TokenType.NUMBER, t.get(i).type());
            assertEquals(expected[i], t.get(i).number(), t.get(i).lexeme());
        }
    }

    @Test
    void huge_number_saturates() {
        assertEquals(Integer.MAX_VALUE, scan("99999999999999999999999").get(0).number());
    }

    @Test
    void operator_spellings() {
        assertEquals(
                "AND AND AND OR OR OR NOT NOT", types("&& & and || | or ! not").replace(" EOF", ""));
        assertEquals("EQUALS MATCHES ASSIGN", types("== =~ =").replace(" EOF", ""));
        assertEquals(
                "COMMA SEMICOLON LEFT_PAREN RIGHT_PAREN LEFT_BRACE RIGHT_BRACE LEFT_BRACKET RIGHT_BRACKET SLASH DOT",
                types(", ; ( ) { } [ ] / .").replace(" EOF", ""));
    }

    @Test
    void stray_character_is_skipped_with_a_warning() {
        assertEquals("ID ID EOF", types("a\n  - b"));
        assertEquals(
                List.of("t.cfg:2:3: warning: unexpected character '-' ignored (captagent skips it too)"),
                problems.warnings());
        assertTrue(problems.errors().isEmpty());
    }

    @Test
    void run_of_stray_characters_is_one_warning_and_many_runs_are_capped() {
        scan("@@@@ x");
        assertEquals(1, problems.warnings().size());
        scan("@ x ".repeat(100));
        assertEquals(21, problems.warnings().size());
    }

    @Test
    void double_quoted_escapes() {
        assertEquals(
                "a\nb\tc\\d\rq\007", scan("\"a\\nb\\tc\\\\d\\rq\\a\"").get(0).text());
        assertEquals("\\q", scan("\"\\q\"").get(0).text());
    }

    @Test
    void backslash_does_not_escape_a_double_quote() {
        List<Token> t = scan("\"a\\\" x");
        assertEquals("a\\", t.get(0).text());
        assertEquals(TokenType.ID, t.get(1).type());
    }

    @Test
    void single_quoted_string_has_no_escapes_and_may_span_lines() {
        Token t = scan("'a\\n\nb'").get(0);
        assertEquals(TokenType.STRING, t.type());
        assertEquals("a\\n\nb", t.text());
        assertEquals(1, problems.warnings().size(), "multi-line strings are legal but suspicious");
    }

    @Test
    void unterminated_string_is_reported_at_the_opening_quote() {
        List<Token> t = scan("x(\"ERROR\", \"oops);\n}\n");
        assertEquals(TokenType.UNCLOSED, t.get(t.size() - 2).type());
        assertEquals(1, problems.errors().size());
        assertTrue(
                problems.errors().get(0).startsWith("t.cfg:1:12: string literal not closed before end of line"),
                problems.errors().get(0));
    }

    @Test
    void ipv6_addresses_are_one_token() {
        for (String a : List.of("fe80::1", "::", "a:b", "2001:db8::ff00:42:8329")) {
            List<Token> t = scan(a);
            assertEquals(TokenType.IPV6ADDR, t.get(0).type(), a);
            assertEquals(a, t.get(0).lexeme());
        }
        assertEquals("ID", types("abc").replace(" EOF", ""));
        assertEquals("ID", types("a:").replace(" EOF", ""), "a lone trailing colon is a stray character");
    }

    @Test
    void line_continuation_is_ignored() {
        assertEquals("ID ID EOF", types("a \\\nb"));
        assertTrue(problems.warnings().isEmpty());
    }

    @Test
    void positions_are_one_based_and_tabs_count_as_one_column() {
        List<Token> t = scan("capture[pcap] {\n\tif(x)");
        assertEquals("1:1", t.get(0).at().toString());
        assertEquals("1:9", t.get(2).at().toString());
        assertEquals("2:2", t.get(5).at().toString());
        assertEquals("2:4", t.get(6).at().toString());
    }

    @Test
    void eof_is_just_after_the_last_character() {
        List<Token> withNewline = scan("a\nb\n");
        assertEquals("3:1", withNewline.get(withNewline.size() - 1).at().toString());
        List<Token> without = scan("a\nbc");
        assertEquals("2:3", without.get(without.size() - 1).at().toString());
    }

    @Test
    void non_ascii_characters_count_as_one_column() {
        List<Token> t = scan("\"\uD83D\uDE00é\" x");
        assertEquals("1:6", t.get(1).at().toString());
    }
}
