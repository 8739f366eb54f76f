package org.heptap.core.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.heptap.core.config.OperationsSettings;

/** {@code heptapctl}: sends one command to the agent's control socket and prints the answer. */
public final class ControlClient {
    static final String HELP = """
            heptapctl — talk to a running heptap agent

            Usage: heptapctl [--socket PATH] [--json] COMMAND
              status                 version, uptime, sockets and transports with their state
              stats                  the loss ledger: every counter per socket and transport, and
                                     whether each stage balances (in = out + each loss)
              reload                 re-read the configuration and plans; refused with the errors
                                     if anything is wrong (the running configuration stays)
              pause SOCKET           stop decoding and sending on a socket (frames are counted)
              resume SOCKET
              log-level LEVEL        error, warning, info or debug
              plan show SOCKET       the capture plan a socket runs
              watch [--method M] [--user U] [--call-id C] [--ip A]
                                     print matching SIP as it is captured, until interrupted
            Options:
              --socket PATH          control socket (default /run/heptap/heptap.sock)
              --json                 print the agent's JSON answer (one object per line)
            """;

    private ControlClient() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String socket = OperationsSettings.DEFAULT_CONTROL_SOCKET;
        boolean json = false;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--socket", "-s" -> {
                    if (++i >= args.length) return usage(err, "--socket needs a path");
                    socket = args[i];
                }
                case "--json" -> json = true;
                case "--help", "-h" -> {
                    out.print(HELP);
                    return 0;
                }
                case "--version" -> {
                    out.println("heptapctl " + org.heptap.core.cli.Main.versionText());
                    return 0;
                }
                case "--method", "--user", "--call-id", "--ip" -> {
                    if (++i >= args.length) return usage(err, a + " needs a value");
                    words.add(a.substring(2) + "=" + args[i]);
                }
                default -> words.add(a);
            }
        }
        if (words.isEmpty()) return usage(err, "no command");
        String command = String.join(" ", words);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            OutputStream o = Channels.newOutputStream(ch);
            o.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            ObjectMapper mapper = new ObjectMapper();
            String line = in.readLine();
            if (line == null) {
                err.println("heptapctl: the agent closed the connection without an answer");
                return 3;
            }
            JsonNode first = mapper.readTree(line);
            if (json) out.println(line);
            if (!first.path("ok").asBoolean()) {
                if (!json) {
                    err.println("heptapctl: " + first.path("error").asText());
                    for (JsonNode e : first.path("errors")) err.println(e.asText());
                }
                return 1;
            }
            if (!json) printHuman(words.get(0), first, out);
            if (words.get(0).equals("watch")) {
                while ((line = in.readLine()) != null) {
                    if (json) {
                        if (!line.equals("{}")) out.println(line);
                        out.flush();
                        continue;
                    }
                    JsonNode e = mapper.readTree(line);
                    if (e.has("dropped")) err.println("heptapctl: " + e.get("dropped").asLong() + " message(s) dropped so far (watch too slow)");
                    if (e.has("header")) {
                        out.println(e.get("header").asText());
                        String p = e.get("payload").asText();
                        out.print(p);
                        if (!p.endsWith("\n")) out.println();
                        out.println();
                        out.flush();
                    }
                }
            }
            return 0;
        } catch (IOException e) {
            err.println("heptapctl: cannot talk to the agent at " + socket + ": " + e.getMessage()
                    + " (is heptap running? is it the right --socket? are you in group heptap?)");
            return 3;
        }
    }

    private static int usage(PrintStream err, String message) {
        err.println("heptapctl: " + message + " (see --help)");
        return 2;
    }

    private static void printHuman(String command, JsonNode a, PrintStream out) {
        switch (command) {
            case "status" -> {
                out.println("heptap " + a.path("version").asText() + ", pid " + a.path("pid").asLong() + ", up "
                        + a.path("uptime-seconds").asLong() + " s, config " + a.path("config").asText()
                        + ", reloads " + a.path("reloads").asLong());
                for (JsonNode s : a.path("sockets")) {
                    out.println("socket " + s.path("name").asText() + ": " + s.path("state").asText() + " on "
                            + s.path("device").asText() + " ports " + s.path("ports").asText() + ", plan "
                            + s.path("plan").asText() + ", captured " + s.path("captured").asLong());
                }
                for (JsonNode t : a.path("transports")) {
                    out.println("transport " + t.path("name").asText() + ": " + t.path("state").asText() + ", "
                            + t.path("describe").asText() + "; " + counters(t.path("counters")));
                }
            }
            case "stats" -> {
                JsonNode l = a.path("ledger");
                for (Iterator<Map.Entry<String, JsonNode>> it = l.path("sockets").fields(); it.hasNext(); ) {
                    var e = it.next();
                    out.println("socket " + e.getKey() + ": " + counters(e.getValue()));
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = l.path("transports").fields(); it.hasNext(); ) {
                    var e = it.next();
                    out.println("transport " + e.getKey() + ": " + counters(e.getValue()));
                }
                out.println();
                for (JsonNode s : l.path("stages")) {
                    StringBuilder sb = new StringBuilder(String.format("%-9s %-22s in %d = out %d", s.path("stage").asText(),
                            s.path("scope").asText(), s.path("in").asLong(), s.path("out").asLong()));
                    for (Iterator<Map.Entry<String, JsonNode>> it = s.path("losses").fields(); it.hasNext(); ) {
                        var e = it.next();
                        if (e.getValue().asLong() != 0) sb.append(" + ").append(e.getKey()).append(' ').append(e.getValue().asLong());
                    }
                    sb.append(s.path("balanced").asBoolean() ? "  ok" : "  DOES NOT BALANCE");
                    out.println(sb);
                }
                out.println(l.path("balanced").asBoolean() ? "ledger balances: every message is accounted for" : "ledger does NOT balance");
            }
            case "reload" -> {
                for (JsonNode w : a.path("warnings")) out.println("warning: " + w.asText());
                out.println("reloaded " + a.path("reloaded").asText());
            }
            case "pause", "resume" -> out.println("socket " + a.path("socket").asText() + ": " + a.path("state").asText());
            case "log-level" -> out.println("log level " + a.path("log-level").asText());
            case "plan" -> {
                out.println("# " + a.path("file").asText());
                out.print(a.path("text").asText());
            }
            case "watch" -> System.err.println("watching " + a.path("watching").asText() + " (Ctrl-C to stop)");
            default -> out.println(a);
        }
    }

    private static String counters(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (sb.length() > 0) sb.append(", ");
            sb.append(e.getKey()).append(' ').append(e.getValue().asText());
        }
        return sb.toString();
    }
}
