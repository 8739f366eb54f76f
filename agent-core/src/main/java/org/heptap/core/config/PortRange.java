package org.heptap.core.config;

import java.util.ArrayList;
import java.util.List;

/** An inclusive port range, {@code 8000-8090} or a single port {@code 8000}. */
public record PortRange(int low, int high) {
    public boolean contains(int port) {
        return port >= low && port <= high;
    }

    @Override
    public String toString() {
        return low == high ? Integer.toString(low) : low + "-" + high;
    }

    /**
     * Parses {@code 8000-8090}, {@code 8000} or a comma-separated list of those.
     *
     * @return the ranges, or null when the text is not valid
     */
    public static List<PortRange> parseList(String text) {
        List<PortRange> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) return null;
            int dash = p.indexOf('-');
            try {
                int lo = Integer.parseInt((dash < 0 ? p : p.substring(0, dash)).trim());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).trim());
                if (lo < 1 || hi > 65535 || lo > hi) return null;
                out.add(new PortRange(lo, hi));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out;
    }
}
