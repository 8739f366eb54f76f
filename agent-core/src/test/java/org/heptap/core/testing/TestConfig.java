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

    /** A console transport that prints nothing (not a loss: counted as silenced). */
    public static final String SILENT_CONSOLE = """
            console:
              type: console
              mode: never
            """;

    /**
     * One capture socket {@code socket} on SIP's ports 5060-5090 (TCP segments taken one by one)
     * running {@code plan}, with {@code socketKeys} added to it, and {@code transports}.
     */
    public static AgentConfig oneSocket(Path dir, String socket, String plan, String socketKeys, String transports)
            throws Exception {
        return load(dir, plan, """
                agent:
                  capture-plans: %s
                sockets:
                  SOCKET:
                    port-range: 5060-5090
                    tcp-reassembly: false
                    capture-plan: plan.cfg
                KEYS
                transports:
                TRANSPORTS
                """.replace("SOCKET", socket)
                .replace("KEYS", socketKeys.indent(4).stripTrailing())
                .replace("TRANSPORTS", transports.indent(2).stripTrailing()));
    }
}
