package org.heptap.core.plan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.heptap.core.config.BoundedFile;
import org.heptap.core.config.Problems;
import org.heptap.core.plan.ast.PlanFile;
import org.heptap.core.plan.compiler.PlanResolver;
import org.heptap.core.plan.lexer.PlanLexer;
import org.heptap.core.plan.lexer.Token;
import org.heptap.core.plan.parser.PlanParser;
import org.heptap.core.plan.runtime.CapturePlan;
import org.heptap.core.plan.source.Diagnostics;

/**
 * Compiles capture-plan files (captagent's {@code *.cfg} language) into runnable plans. Every
 * problem in the file, syntax or binding, is reported into the caller's {@link Problems} as
 * {@code file:line:col: message}; bad input never throws.
 */
public final class PlanCompiler {
    /** Plans are a few hundred bytes; anything this big is the wrong file. */
    public static final long MAX_FILE_BYTES = 1 << 20;

    private final FunctionRegistry functions;
    private final TransportResolver transports;

    public PlanCompiler(FunctionRegistry functions, TransportResolver transports) {
        this.functions = functions;
        this.transports = transports;
    }

    /**
     * Reads and compiles a plan file. Returns null if any error was reported.
     *
     * @param displayName how the file is named in messages (usually the path as the operator gave it)
     * @param socketName  the socket profile the plan is for; "" when only checking the file
     */
    public CompiledPlan compile(Path file, String displayName, String socketName, Problems problems) {
        String source;
        try {
            source = read(file);
        } catch (BoundedFile.TooLargeException e) {
            problems.error(displayName + ": " + e.getMessage());
            return null;
        } catch (IOException e) {
            problems.error(displayName + ": cannot read: " + BoundedFile.reason(e));
            return null;
        }
        return compile(source, displayName, socketName, problems);
    }

    /** Compiles plan text. Returns null if any error was reported. */
    public CompiledPlan compile(String source, String displayName, String socketName, Problems problems) {
        Diagnostics diagnostics = new Diagnostics();
        CapturePlan plan;
        try {
            List<Token> tokens = PlanLexer.scan(source, diagnostics);
            PlanFile ast = PlanParser.parse(tokens, diagnostics);
            plan = new PlanResolver(functions, transports, socketName, diagnostics).resolve(ast, displayName);
        } catch (RuntimeException | StackOverflowError e) {
            // a bug, not the operator's fault: still a reported problem rather than a crash
            diagnostics.fileError(
                    "internal error while compiling the plan: " + e + " (this is a bug in heptap, please report it)");
            plan = null;
        }
        diagnostics.reportTo(problems, displayName);
        return diagnostics.hasErrors() ? null : plan;
    }

    private static String read(Path file) throws IOException {
        byte[] bytes = BoundedFile.read(file, MAX_FILE_BYTES, "a capture plan");
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            // captagent reads bytes; Latin-1 keeps every byte as one character so columns still match
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
