package org.heptap.core.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the shared corpus: the {@code heptap.shared} property (set by surefire), else
 * {@code ../../shared}, else the nearest {@code shared} directory above the working directory
 * (clones placed one level deeper than the main checkout).
 */
final class SharedCorpus {
    private SharedCorpus() {}

    static Path plans() {
        String property = System.getProperty("heptap.shared", "../../shared");
        Path candidate = Paths.get(property).resolve("corpus/plans");
        if (Files.isDirectory(candidate)) return candidate;
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shared/corpus/plans");
            if (Files.isDirectory(p)) return p;
        }
        throw new IllegalStateException("capture-plan corpus not found: tried " + candidate.toAbsolutePath()
                + " and shared/corpus/plans in every parent of " + Paths.get("").toAbsolutePath()
                + "; set -Dheptap.shared=/path/to/shared");
    }
}
