package org.heptap.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.ConfigLoader;
import org.heptap.core.config.Problems;
import org.heptap.core.control.Operations;
import org.heptap.core.pipeline.Agent;

/**
 * A prepared agent (nothing captured) with a web server started from its {@code web:} section:
 * a capture socket {@code sip} on lo and a console transport.
 */
final class WebTestAgent implements AutoCloseable {
    final Agent agent;
    final Operations ops;
    final WebServer server;
    final int port;

    private WebTestAgent(Agent agent, Operations ops, WebServer server) {
        this.agent = agent;
        this.ops = ops;
        this.server = server;
        this.port = server.port();
    }

    /** The configuration's YAML with {@code web} (indented section body) as its web section. */
    static String yaml(String web) {
        return """
                agent:
                  capture-plans: plans
                sockets:
                  sip:
                    device: lo
                    port-range: 5060-5061
                    capture-plan: p.cfg
                    tcp-reassembly: false
                transports:
                  out:
                    type: console
                    mode: never
                web:
                """ + web.indent(2);
    }

    static Path write(Path dir, String web) throws IOException {
        Files.createDirectories(dir.resolve("plans"));
        Files.writeString(dir.resolve("plans/p.cfg"), "capture[pcap] { drop; }\n");
        return Files.writeString(dir.resolve("heptap.yaml"), yaml(web));
    }

    static AgentConfig load(Path yaml, Problems problems) {
        return new ConfigLoader(true, false, ConfigLoader.Overrides.NONE).load(yaml, "heptap.yaml", problems);
    }

    /** Starts the agent's web server on a free loopback port; {@code web} must not name listen. */
    static WebTestAgent start(Path dir, String web) throws IOException {
        Path yaml = write(dir, "listen: 127.0.0.1:" + freePort() + "\n" + web);
        Problems problems = new Problems();
        AgentConfig config = load(yaml, problems);
        Agent agent = config == null ? null : Agent.prepare(config, problems);
        if (agent == null) throw new IllegalStateException("test config: " + problems.errors());
        Operations ops = new Operations(agent, p -> load(yaml, p), "test");
        WebServer server = (WebServer) config.services().get(0);
        server.start(ops);
        return new WebTestAgent(agent, ops, server);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.close();
        agent.config().close();
    }
}
