package org.heptap.pcap;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heptap.core.capture.LinkTypes;

/**
 * Names of a profile's files: {@code BASE-YYYYMMDD-HHMMSS[-N][-dltL].pcap[.gz]}, BASE being the
 * node and profile name, the time the file was started (UTC), N counting files started in the
 * same second, L the link type when it is not Ethernet (a classic pcap file holds one link type,
 * so each gets files of its own). {@link #order} sorts them by start time.
 */
final class FileNames {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final String base;
    private final String extension;
    private final Pattern ours;

    FileNames(String base, boolean gzip) {
        this.base = base;
        this.extension = gzip ? ".pcap.gz" : ".pcap";
        this.ours = Pattern.compile(Pattern.quote(base) + "-(\\d{8}-\\d{6})(?:-(\\d+))?(-dlt\\d+)?\\.pcap(\\.gz)?");
    }

    /** A file-name-safe base from the node and profile names. */
    static String base(String nodeName, String profile) {
        String node = nodeName == null || nodeName.isBlank() ? "heptap" : nodeName;
        return safe(node) + "-" + safe(profile);
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The {@code attempt}-th name (0 first) for a file of {@code linkType} started at {@code millis}. */
    String name(long millis, int linkType, int attempt) {
        StringBuilder b = new StringBuilder(base).append('-').append(TIME.format(Instant.ofEpochMilli(millis)));
        if (attempt > 0) b.append('-').append(attempt + 1);
        if (linkType != LinkTypes.ETHERNET) b.append("-dlt").append(linkType);
        return b.append(extension).toString();
    }

    /**
     * A key that sorts this profile's names by start time, then by N (a plain string sort would
     * put {@code -2.pcap} before {@code .pcap}); other names sort after them.
     */
    String order(String fileName) {
        Matcher m = ours.matcher(fileName);
        if (!m.matches()) return "~" + fileName;
        int n = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
        return m.group(1) + String.format("-%09d", n) + (m.group(3) == null ? "" : m.group(3));
    }

    /** True for a name this profile writes (with or without gzip): retention may delete it. */
    boolean isOurs(String fileName) {
        return ours.matcher(fileName).matches();
    }
}
