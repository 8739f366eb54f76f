package org.heptap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;

/**
 * heptap's bash completion script, generated from the same picocli model as parsing and
 * {@code --help} (module options included), so it cannot fall behind. The build writes it for
 * the packages: {@code CompletionScript FILE}.
 */
public final class CompletionScript {
    private CompletionScript() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CompletionScript FILE");
            System.exit(2);
        }
        Path out = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.writeString(out, script());
    }

    static String script() {
        return AutoComplete.bash("heptap", CommandLine.withModules().model());
    }
}
