package org.heptap.pcap;

import static org.heptap.core.spi.QuickYaml.quote;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.spi.QuickModeContributor;
import org.heptap.core.spi.QuickOption;
import org.heptap.core.spi.QuickOptions;
import org.heptap.core.spi.QuickRun;
import org.heptap.core.spi.QuickYaml;

/**
 * Quick-flag runs write pcap files with {@code -w DIR} (heplify's {@code -wf}), rotated with
 * {@code --rotate 30s} and/or {@code --rotate 100MB}: the {@code pcapfile} profile, and a
 * {@code send_pcap("pcapfile")} where the built-in plans mark {@code # quick: frames}. Without
 * {@code -w} a run has neither (nothing to count in its ledger).
 */
public final class PcapQuickMode implements QuickModeContributor {
    /** The transport the built-in plans send to. */
    public static final String TRANSPORT = "pcapfile";
    /** The place in the built-in plans where a message's frame may be kept. */
    static final String PLACE = "frames";

    String directory;

    final List<String> rotate = new ArrayList<>();

    @Override
    public List<QuickOption> options() {
        return List.of(
                QuickOptions.value(
                        "-w --write-pcap",
                        "DIR",
                        "also write what the plans send into pcap files in DIR (the captured frames with their "
                                + "times; relayed HEP as made-up Ethernet/IP/UDP frames), named NODE-pcapfile-START.pcap, 0640",
                        v -> directory = v),
                QuickOptions.list(
                        "--rotate",
                        "DURATION|SIZE",
                        ",",
                        "1",
                        "-w: start a new file after DURATION (30s, 5m, 1h; a bare number is seconds) and/or "
                                + "once one holds SIZE (100MB, 1GB: a size needs its B); comma-separate or repeat for both",
                        rotate));
    }

    /** After the HEP transport. */
    @Override
    public int rank() {
        return 40;
    }

    @Override
    public boolean asksForQuickRun() {
        return directory != null || !rotate.isEmpty();
    }

    @Override
    public String misuse(QuickRun run) {
        if (!rotate.isEmpty() && directory == null) return "--rotate needs -w DIR (where the pcap files go)";
        if (directory != null && directory.isBlank()) return "-w needs a directory";
        int intervals = 0;
        int sizes = 0;
        for (String r : rotate) {
            if (interval(r) != null) intervals++;
            else if (size(r) >= 0) sizes++;
            else return "--rotate " + r + ": give a duration (30s, 5m, 1h) or a size with its unit (100MB, 1GB)";
        }
        if (intervals > 1 || sizes > 1) return "--rotate takes at most one duration and one size";
        return null;
    }

    /** A size only with a B ({@code 100MB}, {@code 64kB}), so {@code 5m} stays five minutes; -1 otherwise. */
    static long size(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (!s.matches("\\d+\\s*[kmg]?i?b")) return -1;
        return ConfigNode.parseSize(s);
    }

    /** A duration ({@code 30s}, {@code 5m}, {@code 1h}, a bare number of seconds), or null. */
    static String interval(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (!s.matches("\\d+(ms|s|m|h)?")) return null;
        return ConfigNode.parseDuration(s) == null ? null : s;
    }

    @Override
    public Map<String, String> flagsOfKeys() {
        String t = "transports." + TRANSPORT + ".";
        return Map.of(t + "directory", "-w", t + "rotate-interval", "--rotate", t + "rotate-size", "--rotate");
    }

    @Override
    public Map<String, String> planStatements() {
        return directory == null ? Map.of() : Map.of(PLACE, "send_pcap(" + quote(TRANSPORT) + ");");
    }

    @Override
    public void contribute(QuickRun run, QuickYaml yaml) {
        if (directory == null) return;
        StringBuilder y = yaml.transports();
        y.append("  ").append(TRANSPORT).append(":\n");
        y.append("    type: pcap\n    directory: ").append(quote(directory)).append('\n');
        for (String r : rotate) {
            String interval = interval(r);
            if (interval != null)
                y.append("    rotate-interval: ").append(quote(interval)).append('\n');
            else y.append("    rotate-size: ").append(quote(r.trim())).append('\n');
        }
    }
}
