package org.heptap.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.Problems;
import org.junit.jupiter.api.Test;

class PcapTransportProviderTest {
    private final Problems problems = new Problems();

    private PcapSettings read(String yaml) {
        ConfigNode n = ConfigNode.parse(new StringReader(yaml), "t.yaml", problems);
        PcapSettings s = PcapTransportProvider.read("files", n, "sbc/1");
        n.finish();
        return s;
    }

    @Test
    void every_key() {
        PcapSettings s = read("directory: /var/lib/heptap/pcap\nrotate-interval: 30s\nrotate-size: 100MB\n"
                + "gzip: true\nmax-total-size: 10g\nmax-age: 7d\nqueue-size: 100\n");
        assertNotNull(s, problems.errors().toString());
        assertEquals(Path.of("/var/lib/heptap/pcap"), s.directory());
        assertEquals("sbc_1-files", s.baseName(), "the node name made safe for a file name");
        assertEquals(Duration.ofSeconds(30), s.rotateInterval());
        assertEquals(100L << 20, s.rotateSize());
        assertEquals(true, s.gzip());
        assertEquals(10L << 30, s.maxTotalSize());
        assertEquals(Duration.ofDays(7), s.maxAge());
        assertEquals(100, s.queue());
        assertEquals(List.of(), problems.errors());
    }

    @Test
    void wrong_values_are_reported_on_their_line_and_key() {
        assertNull(
                read("rotate-interval: 10ms\nrotate-size: 12\nmax-age: 400d\ngzip: maybe\nqueue-size: 0\nrotat: 1\n"));
        String all = String.join("\n", problems.errors());
        for (String want : List.of(
                "t.yaml:1: directory: missing",
                "t.yaml:1: rotate-interval: 10 ms is too short",
                "t.yaml:2: rotate-size: 12 bytes is too small",
                "t.yaml:3: max-age: 400d is out of range",
                "t.yaml:4: gzip: maybe is not true or false",
                "t.yaml:5: queue-size: 0 is out of range",
                "t.yaml:6: rotat: unknown key")) {
            assertEquals(true, all.contains(want), "missing \"" + want + "\" in:\n" + all);
        }
    }
}
