package org.heptap.hep;

import java.nio.file.Path;

/** The repository's test data folder (corpus, tools): {@code testdata/}. */
public final class Shared {
    private Shared() {}

    /** {@code heptap.testdata} as surefire sets it, else {@code ../testdata} from a module directory. */
    public static Path dir() {
        return Path.of(System.getProperty("heptap.testdata", "../testdata"))
                .toAbsolutePath()
                .normalize();
    }
}
