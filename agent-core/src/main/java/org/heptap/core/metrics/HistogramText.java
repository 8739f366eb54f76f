package org.heptap.core.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heptap.core.spi.ModuleHistogram;

/**
 * Module histograms in the Prometheus text format (0.0.4), appended to the registry's scrape:
 * per family one {@code # HELP} and {@code # TYPE NAME histogram}, then per series its
 * cumulative {@code NAME_bucket{TAGS,le="BOUND"}} lines up to {@code le="+Inf"},
 * {@code NAME_count} and {@code NAME_sum}. Written here rather than as Micrometer meters
 * because a reload hands the counts to a new configuration's histogram, which a registered meter
 * would not follow.
 */
final class HistogramText {
    private HistogramText() {}

    static String render(List<ModuleCounters.HistogramSeries> series) {
        Map<String, StringBuilder> families = new LinkedHashMap<>();
        for (ModuleCounters.HistogramSeries s : series) {
            String name = s.name().replace('.', '_');
            StringBuilder f = families.computeIfAbsent(
                    name,
                    n -> new StringBuilder("# HELP ")
                            .append(n)
                            .append(' ')
                            .append(s.help().replace("\\", "\\\\").replace("\n", "\\n"))
                            .append("\n# TYPE ")
                            .append(n)
                            .append(" histogram\n"));
            ModuleHistogram h = s.histogram();
            String tags = tags(s.tags());
            double[] bounds = h.bounds();
            for (int i = 0; i <= bounds.length; i++) {
                f.append(name).append("_bucket{").append(tags).append(tags.isEmpty() ? "" : ",");
                f.append("le=\"").append(i < bounds.length ? Double.toString(bounds[i]) : "+Inf");
                f.append("\"} ").append(h.cumulative(i)).append('\n');
            }
            String braces = tags.isEmpty() ? "" : "{" + tags + "}";
            f.append(name)
                    .append("_count")
                    .append(braces)
                    .append(' ')
                    .append(h.count())
                    .append('\n');
            f.append(name)
                    .append("_sum")
                    .append(braces)
                    .append(' ')
                    .append(h.sum())
                    .append('\n');
        }
        StringBuilder out = new StringBuilder();
        families.values().forEach(out::append);
        return out.toString();
    }

    /** {@code k="v",k2="v2"} with Prometheus' escapes. */
    private static String tags(Map<String, String> tags) {
        StringBuilder t = new StringBuilder();
        tags.forEach((k, v) -> {
            if (!t.isEmpty()) t.append(',');
            t.append(k)
                    .append("=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"');
        });
        return t.toString();
    }
}
