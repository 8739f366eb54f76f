package org.heptap.core.plan.lexer;

import org.heptap.core.plan.source.Position;

/**
 * One token with where it starts.
 *
 * @param lexeme the source text of the token (for messages)
 * @param text   the string value of a STRING (escapes applied, quotes removed); the lexeme otherwise
 * @param number the value of a NUMBER (C {@code atoi}, saturated; booleans words are 1 or 0)
 */
public record Token(TokenType type, String lexeme, String text, int number, Position at) {

    /** How the token is named in an error message. */
    public String describe() {
        switch (type) {
            case EOF:
                return "end of file";
            case UNCLOSED:
                return "unclosed " + lexeme;
            case STRING:
                String shown = lexeme.length() > 30 ? lexeme.substring(0, 27) + "..." : lexeme;
                return "string " + shown.replace("\n", "\\n");
            default:
                return "'" + lexeme + "'";
        }
    }
}
