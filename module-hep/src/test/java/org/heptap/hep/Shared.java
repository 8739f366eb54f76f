package org.heptap.hep;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared directory (docs, corpus, tools) next to the checkout. */
public final class Shared {
    private Shared() {}

    /**
     * {@code heptap.shared} when it exists; otherwise the first {@code shared} directory beside
     * one of the working directory's ancestors (a worktree may sit deeper than the main checkout).
     */
    public static Path dir() {
        Path configured = Path.of(System.getProperty("heptap.shared", "../../shared")).toAbsolutePath().normalize();
        if (Files.isDirectory(configured)) return configured;
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared");
            if (Files.isDirectory(candidate.resolve("docs")) || Files.isDirectory(candidate.resolve("tools"))) return candidate;
        }
        return configured;
    }
}
