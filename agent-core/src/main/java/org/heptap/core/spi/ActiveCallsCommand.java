package org.heptap.core.spi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code heptapctl calls}: the calls whose media is measured now, one line per direction with its
 * live loss, jitter and MOS. Offered by a measuring module when no other module answers
 * {@code calls}; the module that does hands the words to {@link #answer} when it is not asked
 * for something of its own (e.g. {@code --recent}).
 */
public final class ActiveCallsCommand implements ControlCommand {
    private final ActiveCalls calls;

    public ActiveCallsCommand(ActiveCalls calls) {
        this.calls = calls;
    }

    @Override
    public String name() {
        return "calls";
    }

    @Override
    public String summary() {
        return "the active calls with each direction's live loss, jitter and MOS";
    }

    @Override
    public void run(List<String> args, ControlReply reply) throws IOException {
        int limit = 1000;
        for (String a : args) {
            if (a.startsWith("limit=")) {
                try {
                    limit = Math.max(1, Integer.parseInt(a.substring(6)));
                } catch (NumberFormatException e) {
                    reply.error("calls: limit: '" + a.substring(6) + "' is not a number");
                    return;
                }
            } else {
                reply.error("calls: unknown option '" + a.replaceFirst("=.*", "") + "' (known: limit)");
                return;
            }
        }
        reply.ok(answer(calls.calls(), limit));
    }

    /** The answer listing {@code active} (at most {@code limit} calls): {@code calls} and {@code text}. */
    public static Map<String, Object> answer(List<ActiveCalls.Call> active, int limit) {
        List<Map<String, Object>> list = new ArrayList<>();
        StringBuilder text = new StringBuilder(String.format(
                "%-40s  %-47s  %10s  %8s  %7s  %9s  %4s%n",
                "CALL-ID", "DIRECTION", "PACKETS", "LOST", "LOSS%", "JITTER-MS", "MOS"));
        for (ActiveCalls.Call c : active.subList(0, Math.min(limit, active.size()))) {
            List<Map<String, Object>> dirs = new ArrayList<>();
            for (ActiveCalls.Direction d : c.directions()) {
                dirs.add(direction(d));
                text.append(String.format(
                        Locale.ROOT,
                        "%-40s  %-47s  %10d  %8d  %7.2f  %9.2f  %4.2f%n",
                        c.callId(),
                        d.from() + " -> " + d.to(),
                        d.packets(),
                        d.lost(),
                        d.lossPercent(),
                        d.jitterMs(),
                        d.mos()));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("call-id", c.callId());
            m.put("directions", dirs);
            list.add(m);
        }
        if (active.isEmpty()) text.append("(no active calls with measured media)\n");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("calls", list);
        answer.put("text", text.toString());
        return answer;
    }

    /** One direction as the answer shows it (and the web page's API, which adds to it). */
    public static Map<String, Object> direction(ActiveCalls.Direction d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", d.from());
        m.put("to", d.to());
        m.put("ssrc", d.ssrc());
        m.put("codec", d.codec());
        m.put("packets", d.packets());
        m.put("lost", d.lost());
        m.put("loss_percent", round2(d.lossPercent()));
        m.put("jitter_ms", round2(d.jitterMs()));
        m.put("mos", round2(d.mos()));
        return m;
    }

    /** Two decimals, as the answers show figures. */
    public static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
