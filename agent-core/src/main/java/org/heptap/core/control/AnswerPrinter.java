package org.heptap.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Map;

/** {@code heptapctl}'s human form of the agent's JSON answers, one method per command. */
final class AnswerPrinter {
    private final PrintStream out;
    private final PrintStream err;

    AnswerPrinter(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** A refusal: the agent's error, then each problem line as the agent wrote it, on stderr. */
    void refused(JsonNode a) {
        err.println("heptapctl: " + a.path("error").asText());
        for (JsonNode e : a.path("errors")) err.println(e.asText());
        problems(a.path("warnings"), err);
    }

    /** The first answer to {@code command} (its first word). */
    void answer(String command, JsonNode a) {
        switch (command) {
            case "status" -> status(a);
            case "stats" -> {
                stats(a.path("ledger"));
                for (Map.Entry<String, JsonNode> e : a.path("modules").properties())
                    out.println("module " + e.getKey() + ": " + counters(e.getValue()));
            }
            case "reload" -> {
                problems(a.path("warnings"), out);
                out.println("reloaded " + a.path("reloaded").asText());
            }
            case "pause", "resume" ->
                out.println("socket " + a.path("socket").asText() + ": "
                        + a.path("state").asText());
            case "log-level" -> out.println("log level " + a.path("log-level").asText());
            case "plan" -> {
                out.println("# " + a.path("file").asText());
                out.print(a.path("text").asText());
            }
            case "watch" -> err.println("watching " + a.path("watching").asText() + " (Ctrl-C to stop)");
            default -> {
                // a module's command says what to print in "text"; anything else is shown as JSON
                if (a.has("text")) out.print(a.get("text").asText());
                else out.println(a);
            }
        }
    }

    /** One event of a watch: a message in the ngrep form, and/or how many were dropped so far. */
    void watchEvent(JsonNode e) {
        if (e.has("dropped"))
            err.println("heptapctl: " + e.get("dropped").asLong() + " message(s) dropped so far (watch too slow)");
        if (e.has("header")) {
            out.println(e.get("header").asText());
            String p = e.path("payload").asText();
            out.print(p);
            if (!p.endsWith("\n")) out.println();
            out.println();
            out.flush();
        }
    }

    /** Problem lines come formatted ({@code file:line: warning: ...}): printed as they are, no prefix added. */
    private static void problems(JsonNode lines, PrintStream to) {
        for (JsonNode w : lines) to.println(w.asText());
    }

    private void status(JsonNode a) {
        out.println("heptap " + a.path("version").asText() + ", pid "
                + a.path("pid").asLong() + ", up "
                + a.path("uptime-seconds").asLong() + " s, config "
                + a.path("config").asText()
                + ", reloads " + a.path("reloads").asLong());
        for (JsonNode s : a.path("sockets")) {
            String where = s.has("listen")
                    ? (s.path("state").asText().equals("paused") ? "paused, " : "") + "listening on "
                            + s.path("listen").asText()
                    : s.path("state").asText() + " on " + s.path("device").asText() + " ports "
                            + s.path("ports").asText();
            out.println("socket " + s.path("name").asText() + ": " + where + ", plan "
                    + s.path("plan").asText() + (s.has("listen") ? ", received " : ", captured ")
                    + s.path("captured").asLong());
        }
        for (JsonNode t : a.path("transports")) {
            out.println("transport " + t.path("name").asText() + ": "
                    + t.path("state").asText() + ", " + t.path("describe").asText() + "; "
                    + counters(t.path("counters")));
        }
    }

    private void stats(JsonNode l) {
        for (Map.Entry<String, JsonNode> e : l.path("sockets").properties()) {
            out.println("socket " + e.getKey() + ": " + counters(e.getValue()));
        }
        for (Map.Entry<String, JsonNode> e : l.path("transports").properties()) {
            out.println("transport " + e.getKey() + ": " + counters(e.getValue()));
        }
        out.println();
        for (JsonNode s : l.path("stages")) {
            StringBuilder sb = new StringBuilder(String.format(
                    "%-9s %-22s in %d = out %d",
                    s.path("stage").asText(),
                    s.path("scope").asText(),
                    s.path("in").asLong(),
                    s.path("out").asLong()));
            for (Map.Entry<String, JsonNode> e : s.path("losses").properties()) {
                if (e.getValue().asLong() != 0)
                    sb.append(" + ")
                            .append(e.getKey())
                            .append(' ')
                            .append(e.getValue().asLong());
            }
            sb.append(s.path("balanced").asBoolean() ? "  ok" : "  DOES NOT BALANCE");
            out.println(sb);
        }
        out.println(
                l.path("balanced").asBoolean()
                        ? "ledger balances: every message is accounted for"
                        : "ledger does NOT balance");
    }

    private static String counters(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(e.getKey()).append(' ').append(e.getValue().asText());
        }
        return sb.toString();
    }
}
