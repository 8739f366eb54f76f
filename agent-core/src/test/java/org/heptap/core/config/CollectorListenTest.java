package org.heptap.core.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listen entries of collector sockets, including a module's scheme (tls:HOST:PORT). */
class CollectorListenTest {
    @Test
    void udp_tcp_and_a_module_scheme() {
        assertEquals(
                new CollectorSettings.Listen(false, "0.0.0.0", 9060, null),
                CollectorSettings.Listen.parse("udp:0.0.0.0:9060"));
        assertEquals(
                new CollectorSettings.Listen(false, "localhost", 9060, null),
                CollectorSettings.Listen.parse("localhost:9060"));
        assertEquals(
                new CollectorSettings.Listen(true, "::1", 9061, null),
                CollectorSettings.Listen.parse("tcp:[::1]:9061"));
        CollectorSettings.Listen tls = CollectorSettings.Listen.parse("tls:[::]:9061");
        assertEquals(new CollectorSettings.Listen(true, "::", 9061, "tls"), tls);
        assertEquals("tls:[::]:9061", tls.toString());
        assertEquals(
                new CollectorSettings.Listen(false, "tls", 9061, null),
                CollectorSettings.Listen.parse("tls:9061"),
                "a host named tls");
        assertNull(CollectorSettings.Listen.parse("tls:host:0"));
    }

    /** Loads {@code yaml} as {@code name} in {@code dir}, beside a capture plan p.cfg, with agent-core alone. */
    private static AgentConfig load(Path dir, String name, String yaml, Problems problems) throws Exception {
        Files.createDirectories(dir.resolve("captureplans"));
        Files.writeString(dir.resolve("captureplans/p.cfg"), "capture[collector] { drop; }\n");
        Path file = Files.writeString(dir.resolve(name), yaml);
        return new ConfigLoader(true, false, ConfigLoader.Overrides.NONE).load(file, name, problems);
    }

    @Test
    void a_scheme_no_module_offers_or_without_its_section_is_an_error(@TempDir Path dir) throws Exception {
        Problems problems = new Problems();
        assertNull(load(dir, "heptap.yaml", """
                sockets:
                  relay:
                    type: collector
                    listen: [ "tcp:127.0.0.1:9060", "tls:127.0.0.1:9061" ]
                    capture-plan: p.cfg
                """, problems));
        assertEquals(1, problems.errors().size(), problems.errors().toString());
        // agent-core alone has no module with a tls layer
        assertEquals(
                "heptap.yaml:4: sockets.relay.listen: tls:127.0.0.1:9061: no module listens with tls: (available: udp, tcp)",
                problems.errors().get(0));
    }

    @Test
    void limits_against_bad_senders_have_defaults_and_refuse_nonsense_with_file_line_key(@TempDir Path dir)
            throws Exception {
        Problems problems = new Problems();
        AgentConfig config = load(dir, "good.yaml", """
                sockets:
                  relay:
                    type: collector
                    listen: [ "udp:127.0.0.1:9060" ]
                    receive-buffer: 16MB
                    inflate-per-source: 1MB
                    capture-plan: p.cfg
                """, problems);
        assertTrue(problems.errors().isEmpty(), problems.errors().toString());
        CollectorSettings.Limits limits = config.sockets().get(0).collector().limits();
        assertEquals(new CollectorSettings.Limits(16, 5_000_000_000L, 16 << 20, 1 << 20, 256 << 10), limits);

        problems = new Problems();
        assertNull(load(dir, "bad.yaml", """
                sockets:
                  relay:
                    type: collector
                    listen: [ "udp:127.0.0.1:9060" ]
                    receive-buffer: 2GB
                    inflate-max-payload: lots
                    max-connections-per-source: 0
                    tcp-first-message-timeout: 0s
                    capture-plan: p.cfg
                """, problems));
        assertEquals(
                java.util.Set.of(
                        "bad.yaml:7: sockets.relay.max-connections-per-source: 0 is out of range (1-100000)",
                        "bad.yaml:8: sockets.relay.tcp-first-message-timeout: 0s is not a positive duration (e.g. 5s)",
                        "bad.yaml:5: sockets.relay.receive-buffer: 2GB is out of range (4k-1GB)",
                        "bad.yaml:6: sockets.relay.inflate-max-payload: lots is not a size (e.g. 65535, 64k, 32MB)"),
                java.util.Set.copyOf(problems.errors()));
    }
}
