package org.heptap.core.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.ConfigLoader;
import org.heptap.core.config.Problems;
import org.heptap.core.pipeline.Agent;

/**
 * A prepared agent (nothing captured, nothing bound but the control socket) behind a running
 * control server: a capture socket {@code sip} on lo, a collector socket {@code relay} listening on
 * UDP, a console transport, and a plan whose {@code set_tag} draws a warning on every load.
 */
final class TestAgent implements AutoCloseable {
    static final String PLAN = "capture[pcap] {\n    set_tag(\"a=b\", \"x\");\n    drop;\n}\n";

    final Path dir;
    final Path socket;
    final Agent agent;
    final ControlServer server;

    private TestAgent(Path dir, Agent agent, ControlServer server) {
        this.dir = dir;
        this.socket = server.path();
        this.agent = agent;
        this.server = server;
    }

    /** Serves on {@code dir/ctl.sock}, closing connections that send no command within {@code idleMillis}. */
    static TestAgent start(Path dir, long idleMillis) throws IOException {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/p.cfg"), PLAN);
        Files.writeString(dir.resolve("plans/c.cfg"), "capture[collector] { drop; }\n");
        Path yaml = Files.writeString(dir.resolve("heptap.yaml"), """
                agent:
                  capture-plans: plans
                sockets:
                  sip:
                    device: lo
                    port-range: 5060-5061
                    capture-plan: p.cfg
                    tcp-reassembly: false
                  relay:
                    type: collector
                    listen: [ "udp:127.0.0.1:5999" ]
                    capture-plan: c.cfg
                    reply: false
                transports:
                  out:
                    type: console
                    mode: never
                """);
        Problems problems = new Problems();
        AgentConfig config = load(yaml, problems);
        Agent agent = config == null ? null : Agent.prepare(config, problems);
        if (agent == null) throw new IllegalStateException("test config: " + problems.errors());
        Operations ops = new Operations(agent, p -> load(yaml, p), "test");
        ControlServer server = ControlServer.start(ops, dir.resolve("ctl.sock"), idleMillis);
        if (server == null) throw new IllegalStateException("control socket did not start in " + dir);
        return new TestAgent(dir, agent, server);
    }

    private static AgentConfig load(Path yaml, Problems problems) {
        return new ConfigLoader(true, false, ConfigLoader.Overrides.NONE).load(yaml, "heptap.yaml", problems);
    }

    @Override
    public void close() {
        server.close();
    }
}
