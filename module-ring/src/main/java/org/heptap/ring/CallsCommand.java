package org.heptap.ring;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.heptap.core.spi.ControlCommand;
import org.heptap.core.spi.ControlReply;

/** {@code heptapctl calls [--recent] [--limit N] [--user NUMBER]}: the ring's recent calls, newest first. */
final class CallsCommand implements ControlCommand {
    static final String NO_RING = "no call ring in this configuration (set modules.ring.size, or --ring SIZE)";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final Supplier<Ring> ring;

    CallsCommand(Supplier<Ring> ring) {
        this.ring = ring;
    }

    @Override
    public String name() {
        return "calls";
    }

    @Override
    public String summary() {
        return "the calls the ring holds, newest first";
    }

    @Override
    public void run(List<String> args, ControlReply reply) throws IOException {
        Ring r = ring.get();
        if (r == null) {
            reply.error(NO_RING);
            return;
        }
        CommandWords w;
        int limit;
        try {
            w = CommandWords.parse("calls", args, Set.of("limit", "user", "recent"));
            limit = (int) Math.max(1, Math.min(100_000, w.number("limit", 20)));
        } catch (IllegalArgumentException e) {
            reply.error(e.getMessage());
            return;
        }
        String user = w.get("user");
        long oldest = r.store.oldestTime();
        List<CallInfo> calls =
                r.recorder.calls(c -> c.lastTime() >= oldest && (user == null || c.hasUser(user)), limit);
        List<Map<String, Object>> list = new ArrayList<>();
        ZoneId zone = ZoneId.systemDefault();
        StringBuilder text = new StringBuilder(String.format(
                "%-23s  %-40s  %-16s  %-16s  %-12s  %s%n", "START", "CALL-ID", "FROM", "TO", "STATE", "FRAMES"));
        for (CallInfo c : calls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("call-id", c.callId());
            m.put("from", c.from());
            m.put("to", c.to());
            m.put("start", Instant.ofEpochSecond(0, c.firstTime()).toString());
            m.put("last", Instant.ofEpochSecond(0, c.lastTime()).toString());
            m.put("state", c.state());
            m.put("frames", c.frames());
            list.add(m);
            text.append(String.format(
                    "%-23s  %-40s  %-16s  %-16s  %-12s  %d%n",
                    TIME.format(Instant.ofEpochSecond(0, c.firstTime()).atZone(zone)),
                    c.callId(),
                    c.from(),
                    c.to(),
                    c.state(),
                    c.frames()));
        }
        if (calls.isEmpty())
            text.append("(no calls in the ring")
                    .append(user != null ? " for " + user : "")
                    .append(")\n");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("calls", list);
        answer.put("text", text.toString());
        reply.ok(answer);
    }
}
