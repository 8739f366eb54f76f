package org.heptap.core.plan.lexer;

/** The tokens of captagent's capture-plan language. */
public enum TokenType {
    // keywords
    FORWARD,
    DROP,
    SEND,
    CAPTURE,
    IF,
    ELSE,
    METHOD,
    DEBUG,
    // operators
    ASSIGN,
    EQUALS,
    MATCHES,
    NOT,
    AND,
    OR,
    // literals and names
    NUMBER,
    STRING,
    ID,
    IPV6ADDR,
    // punctuation
    COMMA,
    SEMICOLON,
    LEFT_PAREN,
    RIGHT_PAREN,
    LEFT_BRACE,
    RIGHT_BRACE,
    LEFT_BRACKET,
    RIGHT_BRACKET,
    SLASH,
    DOT,
    /** A string or comment still open at the end of the file; the lexer has reported it. */
    UNCLOSED,
    EOF
}
