package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void files_and_folders_with_contents_are_removed() throws Exception {
        Path f = Scratch.file("scratch-test", ".txt");
        Path d = Scratch.folder("scratch-test");
        Files.createDirectories(d.resolve("a/b"));
        Files.writeString(d.resolve("a/b/c.txt"), "x");
        Files.writeString(f, "y");
        assertTrue(Files.exists(f) && Files.exists(d.resolve("a/b/c.txt")));
        Scratch.removeAll();
        assertFalse(Files.exists(f), f + " still there");
        assertFalse(Files.exists(d), d + " still there");
    }
}
