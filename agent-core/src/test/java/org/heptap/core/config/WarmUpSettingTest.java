package org.heptap.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agent.warm-up: on unless the operator turns it off; anything but a yes/no is refused. */
class WarmUpSettingTest {
    private static AgentConfig load(Path dir, String agentSection, Problems problems) throws Exception {
        Files.createDirectories(dir.resolve("captureplans"));
        Files.writeString(dir.resolve("captureplans/p.cfg"), "capture[main] { drop; }\n");
        Path file = Files.writeString(dir.resolve("heptap.yaml"), agentSection + """
                sockets:
                  sip:
                    device: lo
                    capture-plan: p.cfg
                """);
        return new ConfigLoader(false, false, ConfigLoader.Overrides.NONE).load(file, "heptap.yaml", problems);
    }

    @Test
    void on_by_default_and_off_when_asked(@TempDir Path dir) throws Exception {
        Problems problems = new Problems();
        AgentConfig c = load(dir, "", problems);
        assertTrue(c.agent().warmUp(), problems.errors().toString());
        c.close();
        c = load(dir, "agent:\n  warm-up: false\n", problems);
        assertFalse(c.agent().warmUp(), problems.errors().toString());
        c.close();
    }

    @Test
    void a_value_that_is_not_yes_or_no_is_refused_with_its_line(@TempDir Path dir) throws Exception {
        Problems problems = new Problems();
        assertNull(load(dir, "agent:\n  warm-up: sometimes\n", problems));
        assertEquals(1, problems.errors().size(), problems.errors().toString());
        assertTrue(
                problems.errors().get(0).startsWith("heptap.yaml:2: agent.warm-up: "),
                problems.errors().get(0));
    }
}
