package org.heptap.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the file given to {@code -r} before anything starts, so its problem is the only output. */
final class ReplayInput {
    private ReplayInput() {}

    /** Why {@code file} cannot be replayed, in an operator's words, or null when it can be opened. */
    static String whyUnusable(Path file) {
        if (!Files.exists(file)) {
            return Files.isSymbolicLink(file) ? "a symbolic link to a file that does not exist" : "no such file";
        }
        if (Files.isDirectory(file)) return "is a directory";
        if (!Files.isReadable(file)) return "permission denied";
        return null;
    }
}
