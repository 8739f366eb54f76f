package org.heptap.pcap;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Deletes a profile's oldest pcap files while they take more than the size limit, and any older
 * than the age limit. Only files the profile names ({@link FileNames#isOurs}) are
 * touched, and never one still open: an operator's own files in the directory are safe.
 */
final class Retention {
    private final Path directory;
    private final FileNames names;
    private final long maxTotalSize;
    private final long maxAgeMillis;

    /** What one pass found and did. */
    record Pass(int deleted, long deletedBytes, long keptBytes, List<String> failures) {}

    Retention(Path directory, FileNames names, long maxTotalSize, long maxAgeMillis) {
        this.directory = directory;
        this.names = names;
        this.maxTotalSize = maxTotalSize;
        this.maxAgeMillis = maxAgeMillis;
    }

    boolean limits() {
        return maxTotalSize > 0 || maxAgeMillis > 0;
    }

    private record Entry(Path path, long modified, long size) {}

    /** One pass at {@code nowMillis}; {@code open} are the files still being written (counted, kept). */
    Pass run(long nowMillis, Set<Path> open) throws IOException {
        List<Entry> files = new ArrayList<>();
        long total = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory)) {
            for (Path p : dir) {
                if (!names.isOurs(p.getFileName().toString())) continue;
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (IOException gone) {
                    continue; // deleted meanwhile
                }
                if (!a.isRegularFile()) continue;
                total += a.size();
                if (!open.contains(p))
                    files.add(new Entry(p, a.lastModifiedTime().toMillis(), a.size()));
            }
        }
        // oldest first: by time written, then by the start time in the name
        files.sort(Comparator.comparingLong(Entry::modified)
                .thenComparing(e -> names.order(e.path().getFileName().toString())));
        int deleted = 0;
        long deletedBytes = 0;
        List<String> failures = new ArrayList<>();
        for (Entry e : files) {
            boolean tooOld = maxAgeMillis > 0 && nowMillis - e.modified() > maxAgeMillis;
            boolean tooMuch = maxTotalSize > 0 && total > maxTotalSize;
            if (!tooOld && !tooMuch) continue;
            try {
                Files.deleteIfExists(e.path());
                deleted++;
                deletedBytes += e.size();
                total -= e.size();
            } catch (IOException ex) {
                failures.add(e.path() + ": " + ex.getMessage());
            }
        }
        return new Pass(deleted, deletedBytes, total, failures);
    }
}
