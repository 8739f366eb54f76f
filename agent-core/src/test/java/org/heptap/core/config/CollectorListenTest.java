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
        assertEquals(new CollectorSettings.Listen(false, "0.0.0.0", 9060, null), CollectorSettings.Listen.parse("udp:0.0.0.0:9060"));
        assertEquals(new CollectorSettings.Listen(false, "localhost", 9060, null), CollectorSettings.Listen.parse("localhost:9060"));
        assertEquals(new CollectorSettings.Listen(true, "::1", 9061, null), CollectorSettings.Listen.parse("tcp:[::1]:9061"));
        CollectorSettings.Listen tls = CollectorSettings.Listen.parse("tls:[::]:9061");
        assertEquals(new CollectorSettings.Listen(true, "::", 9061, "tls"), tls);
        assertEquals("tls:[::]:9061", tls.toString());
        assertEquals(new CollectorSettings.Listen(false, "tls", 9061, null), CollectorSettings.Listen.parse("tls:9061"), "a host named tls");
        assertNull(CollectorSettings.Listen.parse("tls:host:0"));
    }

    @Test
    void a_scheme_no_module_offers_or_without_its_section_is_an_error(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("captureplans"));
        Files.writeString(dir.resolve("captureplans/p.cfg"), "capture[collector] { drop; }\n");
        Path yaml = Files.writeString(dir.resolve("heptap.yaml"), """
                sockets:
                  relay:
                    type: collector
                    listen: [ "tcp:127.0.0.1:9060", "tls:127.0.0.1:9061" ]
                    capture-plan: p.cfg
                """);
        Problems problems = new Problems();
        assertNull(new ConfigLoader(true, false, ConfigLoader.Overrides.NONE).load(yaml, "heptap.yaml", problems));
        assertEquals(1, problems.errors().size(), problems.errors().toString());
        // agent-core alone has no module with a tls layer
        assertEquals("heptap.yaml:4: sockets.relay.listen: tls:127.0.0.1:9061: no module listens with tls: (available: udp, tcp)",
                problems.errors().get(0));
    }
}
