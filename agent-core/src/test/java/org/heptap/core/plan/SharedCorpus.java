package org.heptap.core.plan;

import java.nio.file.Files;
import java.nio.file.Path;

/** The capture-plan corpus in the repository's {@code testdata/corpus/plans}. */
final class SharedCorpus {
    private SharedCorpus() {}

    static Path plans() {
        Path candidate =
                Path.of(System.getProperty("heptap.testdata", "../testdata")).resolve("corpus/plans");
        if (Files.isDirectory(candidate)) return candidate;
        throw new IllegalStateException("capture-plan corpus not found: tried " + candidate.toAbsolutePath()
                + "; set -Dheptap.testdata=/path/to/testdata");
    }
}
