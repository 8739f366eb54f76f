package org.heptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.Problems;
import org.heptap.core.control.Operations;
import org.heptap.core.pipeline.Agent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload (heptapctl reload and SIGHUP both run {@link Operations#reload}) reads the file through
 * the same loader as the start and {@code --check}: an oversized file is refused with its size
 * and the running configuration stays.
 */
class ReloadSizeLimitTest {
    @TempDir
    Path dir;

    @Test
    void an_oversized_file_is_refused_and_the_running_configuration_stays() throws Exception {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/p.cfg"), "capture[pcap] {\n    drop;\n}\n");
        Path yaml = Files.writeString(dir.resolve("heptap.yaml"), """
                agent:
                  capture-plans: plans
                sockets:
                  sip:
                    device: lo
                    tcp-reassembly: false
                    capture-plan: p.cfg
                transports:
                  console:
                    type: console
                """);
        CommandLine cl = CommandLine.parse(new String[] {"--config", yaml.toString()});
        Problems startProblems = new Problems();
        AgentConfig running = Main.loadConfigWithOperations(cl, startProblems);
        Agent agent = Agent.prepare(running, startProblems);
        assertEquals(List.of(), startProblems.errors());
        assertNotNull(agent);
        Operations ops = new Operations(agent, p -> Main.loadConfigWithOperations(cl, p), "test");

        try (Writer w = Files.newBufferedWriter(yaml, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 220_000; i++) w.write("k" + i + ": 1\n"); // 2.2 MB
        }
        Problems reload = ops.reload();

        assertEquals(List.of(yaml + ": 2.2 MB is larger than a configuration file may be (1 MB)"), reload.errors());
        assertSame(running, agent.config(), "the running configuration stays");
        assertEquals(0, agent.reloads());
    }
}
