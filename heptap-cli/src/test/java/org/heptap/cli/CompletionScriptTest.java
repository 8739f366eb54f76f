package org.heptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bash completion script comes from the parsing model: the agent's options and the modules'. */
class CompletionScriptTest {
    @Test
    void completes_every_option_of_the_model(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("completion/heptap");
        CompletionScript.main(new String[] {file.toString()});
        String script = Files.readString(file);
        assertTrue(script.startsWith("#!/usr/bin/env bash"), script.substring(0, 80));
        assertTrue(script.contains("complete -F _complete_heptap"), "registers heptap");
        for (var o : CommandLine.withModules().model().getCommandSpec().options()) {
            for (String name : o.names()) assertTrue(script.contains(name), name + " in the completion script");
        }
        List<String> fromModules = List.of("--rtcp-nat", "--hep-version", "--hin");
        assertEquals(fromModules, fromModules.stream().filter(script::contains).toList());
    }
}
