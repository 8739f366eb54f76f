package org.heptap.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
    private static final long NOW = 1_764_763_200_000L;
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    private final FileNames names = new FileNames("n-files", false);

    private Path file(String name, long modified, int bytes) throws Exception {
        Path p = Files.write(dir.resolve(name), new byte[bytes]);
        Files.setLastModifiedTime(p, FileTime.fromMillis(modified));
        return p;
    }

    private List<String> left() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void files_older_than_the_age_go_open_and_foreign_ones_stay() throws Exception {
        file("n-files-20251201-000000.pcap", NOW - 30 * HOUR, 10);
        file("n-files-20251202-000000.pcap.gz", NOW - 25 * HOUR, 10);
        Path open = file("n-files-20251202-010000.pcap", NOW - 25 * HOUR, 10);
        file("n-files-20251203-000000.pcap", NOW - HOUR, 10);
        file("other-20251201-000000.pcap", NOW - 30 * HOUR, 10);
        Retention.Pass pass = new Retention(dir, names, 0, 24 * HOUR).run(NOW, Set.of(open));
        assertEquals(2, pass.deleted());
        assertEquals(
                List.of("n-files-20251202-010000.pcap", "n-files-20251203-000000.pcap", "other-20251201-000000.pcap"),
                left());
    }

    @Test
    void the_oldest_go_first_until_the_total_fits_numbered_names_in_start_order() throws Exception {
        file("n-files-20251203-000000.pcap", NOW, 100);
        file("n-files-20251203-000000-2.pcap", NOW, 100);
        file("n-files-20251203-000000-10.pcap", NOW, 100);
        file("n-files-20251203-000001.pcap", NOW, 100);
        Retention.Pass pass = new Retention(dir, names, 250, 0).run(NOW, Set.of());
        assertEquals(2, pass.deleted());
        assertEquals(200, pass.keptBytes());
        assertEquals(List.of("n-files-20251203-000000-10.pcap", "n-files-20251203-000001.pcap"), left());
    }
}
