package org.heptap.core.plan.parser;

import java.util.ArrayList;
import java.util.List;
import org.heptap.core.plan.ast.Action;
import org.heptap.core.plan.ast.CaptureBlock;
import org.heptap.core.plan.ast.Condition;
import org.heptap.core.plan.ast.DebugSetting;
import org.heptap.core.plan.ast.PlanFile;
import org.heptap.core.plan.lexer.Token;
import org.heptap.core.plan.lexer.TokenType;
import org.heptap.core.plan.source.Diagnostics;

/**
 * Recursive-descent parser for the grammar of captagent's capture plans (one method per rule).
 * After a syntax error it skips to the next statement and goes on, so one run reports every
 * problem; what it could not parse is left out of the returned tree.
 */
public final class PlanParser {
    /**
     * Deeper nesting is rejected rather than recursed into: it bounds the stack the parser and
     * the compiler use. captagent itself gives up on expressions nested beyond 100.
     */
    public static final int MAX_NESTING = 100;

    /** Thrown to unwind to the nearest statement boundary; the error is already reported. */
    private static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SyntaxError() {
            super(null, null, false, false);
        }
    }

    /** Thrown to abandon the file when nesting is too deep; the error is already reported. */
    private static final class NestingTooDeep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NestingTooDeep() {
            super(null, null, false, false);
        }
    }

    /** A '{' not yet closed, kept for the "missing '}'" message. */
    private record OpenBlock(Token brace, String label, int lineIndent) {}

    private final List<Token> tokens;
    private final Diagnostics diagnostics;
    /** Column of the first token of each line: a cheap stand-in for the line's indentation. */
    private final int[] firstColumnOfLine;
    /** The lexer stopped at an unclosed string or comment: what follows it is not worth reporting. */
    private final boolean truncated;

    private int current;
    private int nesting;
    private final List<OpenBlock> openBlocks = new ArrayList<>();
    private boolean endOfFileReported;
    /** Set when a 'capture' shows up inside a block: every open block closes quietly. */
    private boolean unwindingToTopLevel;
    /** First block whose '}' was less indented than its '{' line: likely the one missing a '}'. */
    private OpenBlock suspectBlock;

    private Token suspectClose;

    private PlanParser(List<Token> tokens, Diagnostics diagnostics) {
        this.tokens = tokens;
        this.diagnostics = diagnostics;
        Token last = tokens.get(tokens.size() - 1);
        this.firstColumnOfLine = new int[last.at().line() + 1];
        boolean unclosed = false;
        for (Token t : tokens) {
            int line = t.at().line();
            if (firstColumnOfLine[line] == 0) firstColumnOfLine[line] = t.at().column();
            if (t.type() == TokenType.UNCLOSED) unclosed = true;
        }
        this.truncated = unclosed;
    }

    /** Parses a token list that ends with EOF (as {@code PlanLexer.scan} returns it). */
    public static PlanFile parse(List<Token> tokens, Diagnostics diagnostics) {
        return new PlanParser(tokens, diagnostics).planFile();
    }

    // plan = { statement } ; statement = debug_assign | capture_block ;
    private PlanFile planFile() {
        List<CaptureBlock> blocks = new ArrayList<>();
        List<DebugSetting> debugSettings = new ArrayList<>();
        try {
            while (!check(TokenType.EOF)) {
                unwindingToTopLevel = false;
                int before = current;
                Token t = peek();
                try {
                    switch (t.type()) {
                        case CAPTURE -> blocks.add(captureBlock());
                        case DEBUG -> debugSettings.add(debugSetting());
                        case UNCLOSED -> advance();
                        case RIGHT_BRACE -> {
                            error(t, "unmatched '}': no block is open here");
                            advance();
                        }
                        default -> {
                            error(
                                    t,
                                    "expected 'capture[name] { ... }' or 'debug = N' at the top level of the plan, found "
                                            + t.describe());
                            advance();
                            skipToTopLevelStatement();
                        }
                    }
                } catch (SyntaxError e) {
                    resetNesting(0, 0);
                    skipToTopLevelStatement();
                }
                if (current == before) advance();
            }
        } catch (NestingTooDeep e) {
            // reported where it happened; the rest of the file is not parsed
        }
        return new PlanFile(List.copyOf(blocks), List.copyOf(debugSettings));
    }

    // debug_assign = "debug" "=" NUMBER ;
    private DebugSetting debugSetting() {
        Token debug = advance();
        expect(TokenType.ASSIGN, "expected '=' after 'debug'");
        Token level = expect(TokenType.NUMBER, "expected a number after 'debug ='");
        return new DebugSetting(debug.at(), level.number());
    }

    // capture_block = "capture" [ "[" ( ID | STRING ) "]" ] "{" actions "}" ;
    private CaptureBlock captureBlock() {
        Token capture = advance();
        String name = null;
        if (match(TokenType.LEFT_BRACKET)) {
            Token n = peek();
            if (n.type() != TokenType.ID && n.type() != TokenType.STRING) {
                throw error(
                        n,
                        "expected a capture name (a word or a quoted string) after 'capture[', found " + n.describe());
            }
            advance();
            name = n.text();
            expect(TokenType.RIGHT_BRACKET, "expected ']' after the capture name");
        }
        Token open = expect(TokenType.LEFT_BRACE, "expected '{' to start the capture block");
        String label = name == null ? "capture" : "capture[" + name + "]";
        return new CaptureBlock(capture.at(), name, block(open, label));
    }

    /** The actions after an already consumed '{', and the closing '}'. */
    private Action.Block block(Token open, String label) {
        enterNesting(open);
        openBlocks.add(new OpenBlock(open, label, firstColumnOfLine[open.at().line()]));
        List<Action> actions = actions();
        OpenBlock closed = openBlocks.remove(openBlocks.size() - 1);
        nesting--;
        if (check(TokenType.RIGHT_BRACE)) {
            noteIndentation(closed, advance());
        }
        // otherwise end of file or a 'capture': already reported by actions()
        return new Action.Block(open.at(), List.copyOf(actions));
    }

    // actions = action { action } ; action = cmd ";" | if_cmd | ";" ;
    private List<Action> actions() {
        List<Action> actions = new ArrayList<>();
        if (check(TokenType.RIGHT_BRACE)) {
            error(peek(), "empty block: '{ }' is not allowed, write '{ ; }' for a block that does nothing");
            return actions;
        }
        Action previous = null;
        boolean semicolonAfterPrevious = false;
        while (true) {
            Token t = peek();
            switch (t.type()) {
                case RIGHT_BRACE:
                    return actions;
                case EOF:
                    reportEndOfFileInBlock();
                    return actions;
                case CAPTURE:
                    reportCaptureInBlock(t);
                    return actions;
                default:
                    break;
            }
            if (unwindingToTopLevel) return actions;
            int before = current;
            int savedNesting = nesting;
            int savedOpen = openBlocks.size();
            try {
                if (t.type() == TokenType.SEMICOLON) {
                    advance();
                    if (previous != null) semicolonAfterPrevious = true;
                } else if (t.type() == TokenType.ELSE) {
                    elseWithoutIf(t, previous, semicolonAfterPrevious);
                    previous = null;
                } else {
                    Action a = action();
                    if (a != null) {
                        actions.add(a);
                        previous = a;
                        semicolonAfterPrevious = false;
                    }
                }
            } catch (SyntaxError e) {
                resetNesting(savedNesting, savedOpen);
                synchronize();
                previous = null;
            }
            if (current == before) advance();
        }
    }

    /** One action that is not ';' or 'else'; null when it was reported and dropped. */
    private Action action() {
        Token t = peek();
        switch (t.type()) {
            case IF:
                return ifCommand();
            case ID:
            case DROP:
            case SEND: {
                Action a = command();
                semicolonAfter(a);
                return a;
            }
            case LEFT_BRACE:
                error(t, "a '{ ... }' block can only follow 'if (...)' or 'else'");
                advance();
                block(t, "block");
                return null;
            case DEBUG:
                error(t, "'debug = N' is only allowed outside capture blocks");
                advance();
                if (match(TokenType.ASSIGN)) match(TokenType.NUMBER);
                return null;
            case FORWARD:
                throw error(t, "'forward' is a reserved word of the plan language and cannot be used");
            case UNCLOSED:
                advance();
                return null;
            default:
                throw error(t, "expected a statement (a function call, 'if', 'drop' or ';'), found " + t.describe());
        }
    }

    private void semicolonAfter(Action a) {
        if (match(TokenType.SEMICOLON)) return;
        Token t = peek();
        // 'f() else' reads better as "else without if", which the caller reports next
        if (t.type() == TokenType.ELSE) return;
        String message = "expected ';' after " + describe(a) + " on line " + a.at().line() + ", found " + t.describe();
        if (canStartAction(t) || t.type() == TokenType.RIGHT_BRACE || t.type() == TokenType.EOF) {
            error(t, message); // nothing lost: go on with what follows
        } else {
            throw error(t, message);
        }
    }

    private void elseWithoutIf(Token elseToken, Action previous, boolean semicolonAfterPrevious) {
        if (previous instanceof Action.If i && i.otherwise() != null && !semicolonAfterPrevious) {
            error(elseToken, "second 'else' for the same if: the if before it already has an else branch");
        } else if (previous instanceof Action.If && semicolonAfterPrevious) {
            error(
                    elseToken,
                    "'else' after ';': the ';' ends the if statement, so this else has no if; remove"
                            + " it (a braceless if/else is written 'if (...) f() else g();')");
        } else {
            error(elseToken, "'else' without an 'if': the statement before it is not an if block");
        }
        advance();
        // the else branch is still parsed so its own mistakes are reported, then dropped
        Token t = peek();
        if (t.type() == TokenType.LEFT_BRACE) {
            advance();
            block(t, "else block");
        } else if (canStartCommand(t)) {
            command();
        }
    }

    // cmd = ID "(" [ STRING [ "," STRING ] ] ")" | "drop" [ "(" ")" ] | "send" "(" STRING [ "," NUMBER ] ")" | if_cmd ;
    private Action command() {
        Token t = peek();
        switch (t.type()) {
            case ID:
                return call();
            case DROP:
                advance();
                if (match(TokenType.LEFT_PAREN)) {
                    expect(TokenType.RIGHT_PAREN, "expected ')' after 'drop(' (drop takes no arguments)");
                }
                return new Action.Drop(t.at());
            case SEND:
                return send();
            case IF:
                return ifCommand();
            default:
                throw error(t, "expected a function call, 'drop' or 'if', found " + t.describe());
        }
    }

    private Action.Call call() {
        Token name = advance();
        expect(
                TokenType.LEFT_PAREN,
                "expected '(' after '" + name.lexeme() + "': function calls need parentheses, as in " + name.lexeme()
                        + "()");
        List<String> args = new ArrayList<>();
        if (!match(TokenType.RIGHT_PAREN)) {
            do {
                Token a = peek();
                if (a.type() == TokenType.STRING) {
                    advance();
                } else if (a.type() == TokenType.NUMBER || a.type() == TokenType.ID || a.type() == TokenType.IPV6ADDR) {
                    // reported, then read as the string it was meant to be so the rest of the call is checked
                    error(a, "function arguments must be quoted strings: write \"" + a.lexeme() + "\"");
                    advance();
                } else {
                    throw error(
                            a,
                            "expected a quoted string argument for " + name.lexeme() + "(...), found " + a.describe());
                }
                args.add(a.text());
                if (args.size() == 3) {
                    error(a, "too many arguments: plan functions take at most 2");
                }
            } while (match(TokenType.COMMA));
            expect(TokenType.RIGHT_PAREN, "expected ',' or ')' after an argument of " + name.lexeme() + "(...)");
        }
        return new Action.Call(name.at(), name.lexeme(), List.copyOf(args));
    }

    private Action.Send send() {
        Token send = advance();
        expect(TokenType.LEFT_PAREN, "expected '(' after 'send'");
        Token destination = expect(TokenType.STRING, "expected a quoted destination in send(...)");
        if (match(TokenType.COMMA)) {
            expect(TokenType.NUMBER, "expected a number as the second argument of send(...)");
        }
        expect(TokenType.RIGHT_PAREN, "expected ')' to close send(...)");
        return new Action.Send(send.at(), destination.text());
    }

    // if_cmd = "if" exp stm [ "else" stm ] ;
    private Action.If ifCommand() {
        Token ifToken = advance();
        enterNesting(ifToken);
        Condition condition = condition();
        Action then = branch("if block", "after the if condition");
        Action otherwise = null;
        if (match(TokenType.ELSE)) {
            otherwise = branch("else block", "after 'else'");
        }
        nesting--;
        return new Action.If(ifToken.at(), condition, then, otherwise);
    }

    // stm = cmd | "{" actions "}" ;
    private Action branch(String blockLabel, String where) {
        Token t = peek();
        if (t.type() == TokenType.LEFT_BRACE) {
            advance();
            return block(t, blockLabel);
        }
        if (canStartCommand(t)) return command();
        throw error(t, "expected a function call or a '{ ... }' block " + where + ", found " + t.describe());
    }

    // exp = exp "||" exp | exp "&&" exp | "!" exp | "(" exp ")" | exp_elem ;  ("||" lowest, "!" tightest)
    private Condition condition() {
        Condition first = conjunction();
        if (!check(TokenType.OR)) return first;
        List<Condition> operands = new ArrayList<>();
        operands.add(first);
        while (match(TokenType.OR)) operands.add(conjunction());
        return new Condition.Or(first.at(), List.copyOf(operands));
    }

    private Condition conjunction() {
        Condition first = negation();
        if (!check(TokenType.AND)) return first;
        List<Condition> operands = new ArrayList<>();
        operands.add(first);
        while (match(TokenType.AND)) operands.add(negation());
        return new Condition.And(first.at(), List.copyOf(operands));
    }

    private Condition negation() {
        if (check(TokenType.NOT)) {
            Token not = advance();
            enterNesting(not);
            Condition operand = negation();
            nesting--;
            return new Condition.Not(not.at(), operand);
        }
        return primary();
    }

    // exp_elem = "method" ( "==" | "=~" ) ( STRING | ID ) | stm | NUMBER ;
    private Condition primary() {
        Token t = peek();
        switch (t.type()) {
            case LEFT_PAREN: {
                advance();
                enterNesting(t);
                Condition inner = condition();
                expect(TokenType.RIGHT_PAREN, "expected ')' to close the '(' at " + t.at());
                nesting--;
                return inner;
            }
            case NUMBER:
                advance();
                return new Condition.Literal(t.at(), t.number() != 0);
            case METHOD: {
                advance();
                Token op = peek();
                if (op.type() != TokenType.EQUALS && op.type() != TokenType.MATCHES) {
                    throw error(op, "expected '==' or '=~' after 'method', found " + op.describe());
                }
                advance();
                Token value = peek();
                if (value.type() != TokenType.STRING && value.type() != TokenType.ID) {
                    throw error(
                            value,
                            "expected a method name after 'method " + op.lexeme() + "', found " + value.describe());
                }
                advance();
                return new Condition.MethodTest(t.at(), op.lexeme(), value.text());
            }
            case LEFT_BRACE:
                advance();
                return new Condition.Run(block(t, "condition block"));
            case ID:
            case DROP:
            case SEND:
            case IF:
                return new Condition.Run(command());
            default:
                throw error(
                        t,
                        "expected a condition (a function call, '!', '(', a number or 'method =='), found "
                                + t.describe());
        }
    }

    // ---- error recovery ----

    /**
     * Skips to where the enclosing action list can resume: after a ';' or a whole '{ ... }' at
     * this level, or before a '}' closing this level, a 'capture', or the end of the file.
     */
    private void synchronize() {
        int depth = 0;
        while (!check(TokenType.EOF)) {
            Token t = peek();
            if (t.type() == TokenType.CAPTURE) return;
            if (depth == 0) {
                if (t.type() == TokenType.RIGHT_BRACE) return;
                if (t.type() == TokenType.SEMICOLON) {
                    advance();
                    return;
                }
            }
            advance();
            if (t.type() == TokenType.LEFT_BRACE) {
                depth++;
            } else if (t.type() == TokenType.RIGHT_BRACE) {
                depth--;
                // an if body just ended; an 'else' after it still belongs to the broken statement
                if (depth == 0 && !check(TokenType.ELSE)) return;
            }
        }
    }

    private void skipToTopLevelStatement() {
        while (!check(TokenType.EOF) && !check(TokenType.CAPTURE) && !check(TokenType.DEBUG)) advance();
    }

    private void resetNesting(int savedNesting, int savedOpen) {
        nesting = savedNesting;
        while (openBlocks.size() > savedOpen) openBlocks.remove(openBlocks.size() - 1);
    }

    private void enterNesting(Token at) {
        if (++nesting > MAX_NESTING) {
            diagnostics.error(
                    at.at(), "nested more than " + MAX_NESTING + " levels deep; the rest of the file is not checked");
            throw new NestingTooDeep();
        }
    }

    private void reportEndOfFileInBlock() {
        if (endOfFileReported || truncated || openBlocks.isEmpty()) return;
        endOfFileReported = true;
        OpenBlock outer = openBlocks.get(0);
        OpenBlock inner = openBlocks.get(openBlocks.size() - 1);
        String message;
        if (openBlocks.size() == 1) {
            message = "missing '}': end of file reached inside " + outer.label + " { } opened at " + outer.brace.at();
        } else {
            message = "missing '}': end of file reached with " + openBlocks.size() + " blocks still open, the innermost"
                    + " being the " + inner.label + " opened at " + inner.brace.at() + " (inside " + outer.label
                    + " opened at " + outer.brace.at() + ")";
        }
        diagnostics.error(peek().at(), message + suspectHint());
    }

    private void reportCaptureInBlock(Token capture) {
        if (unwindingToTopLevel) return;
        unwindingToTopLevel = true;
        OpenBlock outer = openBlocks.get(0);
        diagnostics.error(
                capture.at(),
                "'capture' inside a block: a '}' is missing before it (" + outer.label + " opened at "
                        + outer.brace.at() + " is not closed)" + suspectHint());
    }

    private String suspectHint() {
        if (suspectBlock == null) return "";
        return "; probably the " + suspectBlock.label + " opened at " + suspectBlock.brace.at()
                + " is the one not closed: the '}' at " + suspectClose.at()
                + " that closed it is indented like an outer line";
    }

    private void noteIndentation(OpenBlock block, Token close) {
        if (suspectBlock != null || block.lineIndent <= 0) return;
        boolean firstOnLine = firstColumnOfLine[close.at().line()] == close.at().column();
        if (firstOnLine && close.at().column() < block.lineIndent) {
            suspectBlock = block;
            suspectClose = close;
        }
    }

    // ---- token helpers ----

    private SyntaxError error(Token t, String message) {
        boolean atTruncation = t.type() == TokenType.UNCLOSED || (t.type() == TokenType.EOF && truncated);
        boolean eofAgain = t.type() == TokenType.EOF && endOfFileReported;
        if (!atTruncation && !eofAgain) {
            diagnostics.error(t.at(), message);
            if (t.type() == TokenType.EOF) endOfFileReported = true;
        }
        return new SyntaxError();
    }

    private Token expect(TokenType type, String message) {
        if (check(type)) return advance();
        Token t = peek();
        throw error(t, message + ", found " + t.describe());
    }

    private boolean match(TokenType type) {
        if (!check(type)) return false;
        advance();
        return true;
    }

    private boolean check(TokenType type) {
        return peek().type() == type;
    }

    private Token peek() {
        return tokens.get(current);
    }

    private Token advance() {
        Token t = tokens.get(current);
        if (t.type() != TokenType.EOF) current++;
        return t;
    }

    private static boolean canStartCommand(Token t) {
        return switch (t.type()) {
            case ID, DROP, SEND, IF -> true;
            default -> false;
        };
    }

    private static boolean canStartAction(Token t) {
        return canStartCommand(t) || t.type() == TokenType.SEMICOLON;
    }

    private static String describe(Action a) {
        if (a instanceof Action.Call c) return c.name() + "(...)";
        if (a instanceof Action.Drop) return "'drop'";
        if (a instanceof Action.Send) return "send(...)";
        return "the statement";
    }
}
