package org.heptap.core.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.ConfigLoader;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;

/** A configuration for tests: a plan file and YAML written to a folder, loaded as for an offline run. */
public final class TestConfig {
    private TestConfig() {}

    /**
     * Writes {@code plan} as {@code dir/plan.cfg} and loads {@code yaml} ({@code %s} stands for
     * {@code agent.capture-plans}, i.e. {@code dir}); fails the test on any configuration error.
     */
    public static AgentConfig load(Path dir, String plan, String yaml) throws Exception {
        Files.writeString(dir.resolve("plan.cfg"), plan);
        Problems problems = new Problems();
        ConfigNode root = ConfigNode.parse(new StringReader(yaml.replace("%s", dir.toString())), "test.yaml", problems);
        AgentConfig c = new ConfigLoader(true, false, ConfigLoader.Overrides.NONE).build(root, dir, dir, problems);
        assertNotNull(c, problems.errors()::toString);
        return c;
    }
}
