package org.heptap.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.heptap.core.capture.CaptureException;
import org.heptap.core.capture.LivePcapSource;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.ConfigLoader;
import org.heptap.core.config.Problems;
import org.heptap.core.config.SocketSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture filter a socket generates must install on whatever link its device has: Ethernet
 * ({@code lo} on Linux) takes the VLAN clauses, the Linux cooked capture of {@code any} does not
 * (libpcap: "no VLAN support for Linux cooked v1").
 */
class LiveFilterTest {
    @Test
    void the_generated_filter_installs_on_any_and_on_ethernet(@TempDir Path dir) throws Exception {
        SocketSettings sip = socket(dir, "any");
        try (LivePcapSource any = openOrSkip(Agent.liveOptions(sip))) {
            assertTrue(any.describe().contains("Linux SLL"), any.describe());
            assertFalse(any.describe().contains("vlan"), "no VLAN clauses on a cooked link: " + any.describe());
        }
        try (LivePcapSource lo = openOrSkip(Agent.liveOptions(socket(dir, "lo")))) {
            assertTrue(lo.describe().contains("Ethernet"), lo.describe());
            assertTrue(lo.describe().contains("vlan"), "tagged frames admitted on Ethernet: " + lo.describe());
        }
    }

    /** The shipped sip socket's capture settings (transport all, defrag and tunnels on), on DEVICE. */
    private static SocketSettings socket(Path dir, String device) throws Exception {
        Files.createDirectories(dir.resolve("captureplans"));
        Files.writeString(dir.resolve("captureplans/p.cfg"), "capture[pcap] { drop; }\n");
        Path yaml = Files.writeString(dir.resolve("heptap.yaml"), """
                sockets:
                  sip:
                    device: %s
                    port-range: 5060-5090
                    transport: all
                    capture-plan: p.cfg
                """.formatted(device));
        Problems problems = new Problems();
        AgentConfig config =
                new ConfigLoader(true, false, ConfigLoader.Overrides.NONE).load(yaml, "heptap.yaml", problems);
        assertNotNull(config, problems.errors().toString());
        assertEquals(1, config.sockets().size());
        return config.sockets().get(0);
    }

    private static LivePcapSource openOrSkip(LivePcapSource.Options o) throws CaptureException {
        try {
            return LivePcapSource.open(o);
        } catch (CaptureException e) {
            assumeTrue(e.reason() != CaptureException.Reason.PERMISSION_DENIED, e.getMessage());
            throw e;
        }
    }
}
