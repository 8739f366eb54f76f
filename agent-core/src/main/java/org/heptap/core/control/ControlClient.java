package org.heptap.core.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.heptap.core.config.OperationsSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code heptapctl}: sends one command to the agent's control socket and prints the answer. The
 * command line is a picocli model, so options, subcommands, help and usage errors come from one
 * place; every wait on the agent has a deadline.
 */
@Command(
        name = "heptapctl",
        abbreviateSynopsis = true,
        synopsisSubcommandLabel = "COMMAND",
        versionProvider = ControlClient.Version.class,
        description = "Talks to a running heptap agent over its control socket.",
        subcommands = ControlClient.PlanCommand.class,
        footer = {
            "",
            "Options go before or after the command. Exit status: 0 done, 1 refused by the agent (its "
                    + "reasons are printed), 2 not a valid command line, 3 no agent, or no answer in time."
        })
public final class ControlClient implements Callable<Integer> {
    /** The longest answer line read from the agent (a stats answer or a watched message is far smaller). */
    static final int MAX_ANSWER = 4 << 20;

    static final int OK = 0;
    static final int REFUSED = 1;
    static final int NO_AGENT = 3;
    /** The commands in the order the help lists them: most used first. */
    private static final List<String> COMMANDS =
            List.of("status", "stats", "reload", "pause", "resume", "log-level", "plan", "watch", "calls", "pcap");

    @Option(
            names = {"--control", "--socket", "-s"},
            paramLabel = "PATH",
            scope = ScopeType.INHERIT,
            description =
                    "the agent's control socket (default: ${DEFAULT-VALUE}; the agent's --control, control.socket)")
    private Path socket = Path.of(OperationsSettings.DEFAULT_CONTROL_SOCKET);

    @Option(
            names = "--json",
            scope = ScopeType.INHERIT,
            description = "print the agent's JSON answer (one object per line)")
    private boolean json;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            scope = ScopeType.INHERIT,
            defaultValue = "10",
            description =
                    "give up when the agent does not answer within this time (default: ${DEFAULT-VALUE}; watch: between messages)")
    private double timeoutSeconds;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            scope = ScopeType.INHERIT,
            description = "show this help and exit")
    private boolean help;

    @Option(
            names = {"-V", "--version"},
            versionHelp = true,
            description = "print the version and exit")
    private boolean version;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    private ControlClient(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(out, err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The command line model, writing help to {@code out} and usage errors (with the usage) to {@code err}. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new ControlClient(out, err));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        // watch filters belong to the agent's modules: any --KEY VALUE is passed on, the agent judges it
        cl.getSubcommands().get("watch").setUnmatchedOptionsArePositionalParams(true);
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> {
            Map<String, CommandLine.Help> ordered = new LinkedHashMap<>();
            for (String name : COMMANDS) ordered.put(name, help.subcommands().get(name));
            return help.commandList(ordered);
        });
        // an answer this client cannot print is reported in a line, not a stack trace
        cl.setExecutionExceptionHandler((e, at, parsed) -> {
            at.getErr().println("heptapctl: cannot print the agent's answer: " + e);
            return NO_AGENT;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine at = e.getCommandLine();
            at.getErr().println("heptapctl: " + e.getMessage());
            at.usage(at.getErr());
            return at.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl;
    }

    /** {@code heptapctl} alone: there is nothing to do. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no command given");
    }

    @Command(
            name = "status",
            abbreviateSynopsis = true,
            description = "version, uptime, sockets and transports with their state")
    int status() {
        return talk("status");
    }

    @Command(
            name = "stats",
            abbreviateSynopsis = true,
            description = "the loss ledger: every counter per socket and transport, and "
                    + "whether each stage balances (in = out + each loss)")
    int stats() {
        return talk("stats");
    }

    @Command(
            name = "reload",
            abbreviateSynopsis = true,
            description = "re-read the configuration and plans; refused with the errors "
                    + "if anything is wrong (the running configuration stays)")
    int reload() {
        return talk("reload");
    }

    @Command(
            name = "pause",
            abbreviateSynopsis = true,
            description = "stop decoding and sending on a socket (frames are counted)")
    int pause(@Parameters(paramLabel = "SOCKET", description = "a socket name from the configuration") String socket) {
        return talk("pause " + word(socket));
    }

    @Command(name = "resume", abbreviateSynopsis = true, description = "decode and send on a paused socket again")
    int resume(@Parameters(paramLabel = "SOCKET", description = "a socket name from the configuration") String socket) {
        return talk("resume " + word(socket));
    }

    @Command(name = "log-level", abbreviateSynopsis = true, description = "change the agent's log level")
    int logLevel(@Parameters(paramLabel = "LEVEL", description = "error, warning, info or debug") String level) {
        return talk("log-level " + word(level));
    }

    @Command(
            name = "watch",
            abbreviateSynopsis = true,
            description = "print matching messages as they are captured, until interrupted; "
                    + "filters are --KEY VALUE or KEY=VALUE, each a module's (e.g. --method M, --user U, --call-id C) "
                    + "or --ip A; the agent names the keys it knows when given another")
    int watch(
            @Parameters(paramLabel = "FILTER", arity = "0..*", description = "e.g. --method INVITE")
                    List<String> filters) {
        StringBuilder command = new StringBuilder("watch");
        for (String f : WatchFilters.toWords(
                filters == null ? List.of() : filters, spec.subcommands().get("watch"))) {
            command.append(' ').append(f);
        }
        return talk(command.toString());
    }

    @Command(
            name = "calls",
            abbreviateSynopsis = true,
            description = "list the calls the agent's ring of recent traffic holds, newest first "
                    + "(Call-ID, from, to, start, state), to find the Call-ID to export with pcap")
    int calls(
            @Option(names = "--recent", description = "the most recent calls (the default listing)") boolean recent,
            @Option(
                            names = "--limit",
                            paramLabel = "N",
                            defaultValue = "20",
                            description = "at most N calls (default: ${DEFAULT-VALUE})")
                    int limit,
            @Option(
                            names = "--user",
                            paramLabel = "NUMBER",
                            description = "only calls of this user (From, To or request URI)")
                    String user) {
        if (limit < 1) throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        StringBuilder c = new StringBuilder("calls limit=").append(limit);
        if (user != null) c.append(" user=").append(word(user));
        return talk(c.toString());
    }

    @Command(
            name = "pcap",
            abbreviateSynopsis = true,
            description = "write calls from the agent's ring of recent traffic as a pcap file: every message of "
                    + "the call (and with --media its media), in capture order, frames and times as captured")
    int pcap(
            @Option(names = "--call-id", paramLabel = "ID", description = "the call with this Call-ID") String callId,
            @Option(
                            names = "--user",
                            paramLabel = "NUMBER",
                            description = "every call of this user (From, To or request URI)")
                    String user,
            @Option(names = "--media", description = "also the media of the call, on the addresses its SDP announced")
                    boolean media,
            @Option(names = "--since", paramLabel = "WHEN", description = TimeArgument.HELP) String since,
            @Option(names = "--until", paramLabel = "WHEN", description = TimeArgument.HELP) String until,
            @Option(
                            names = {"-o", "--output"},
                            paramLabel = "FILE|-",
                            defaultValue = "-",
                            description = "where the pcap goes (default: standard output, never a terminal)")
                    String output) {
        if (callId == null && user == null)
            throw new ParameterException(spec.commandLine(), "pcap needs --call-id ID or --user NUMBER");
        StringBuilder c = new StringBuilder("pcap");
        if (callId != null) c.append(" call-id=").append(word(callId));
        if (user != null) c.append(" user=").append(word(user));
        if (media) c.append(" media");
        long now = System.currentTimeMillis();
        try {
            if (since != null) c.append(" since=").append(TimeArgument.epochNanos(since, now));
            if (until != null) c.append(" until=").append(TimeArgument.epochNanos(until, now));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (output.equals("-") && System.console() != null)
            throw new ParameterException(
                    spec.commandLine(), "not writing a pcap to a terminal: give -o FILE or redirect standard output");
        this.binaryOutput = output;
        return talk(c.toString());
    }

    /** Where a binary answer goes: a file name, or {@code -} for standard output. */
    private String binaryOutput = "-";

    /** {@code plan show SOCKET}. */
    @Command(
            name = "plan",
            abbreviateSynopsis = true,
            description = "show SOCKET: print the capture plan a socket runs")
    static final class PlanCommand {
        @ParentCommand
        private ControlClient client;

        @Command(name = "show", abbreviateSynopsis = true, description = "print the capture plan a socket runs")
        int show(
                @Parameters(paramLabel = "SOCKET", description = "a socket name from the configuration")
                        String socket) {
            return client.talk("plan show " + client.word(socket));
        }
    }

    /** A command word goes in a space-separated line: one with blanks would become two. */
    private String word(String w) {
        if (w.isEmpty() || w.chars().anyMatch(Character::isWhitespace)) {
            throw new ParameterException(spec.commandLine(), "'" + w + "' is not a name (empty, or with blanks)");
        }
        return w;
    }

    /** Sends {@code command}, prints the answer (and, for watch, what follows); the exit status. */
    private int talk(String command) {
        if (!(timeoutSeconds > 0))
            throw new ParameterException(spec.commandLine(), "--timeout must be more than 0 seconds");
        long timeoutMillis = (long) Math.ceil(timeoutSeconds * 1000);
        String verb = command.split(" ", 2)[0];
        AnswerPrinter printer = new AnswerPrinter(out, err);
        ObjectMapper mapper = new ObjectMapper();
        try (LineChannel ch = LineChannel.connect(socket, MAX_ANSWER, timeoutMillis)) {
            IOException unsent = null;
            try {
                ch.writeLine(command, timeoutMillis);
            } catch (LineChannel.TimeoutException e) {
                throw e;
            } catch (IOException e) {
                unsent = e; // the agent may have refused the connection and said why before closing it
            }
            String line = ch.readLine(timeoutMillis);
            if (line == null) {
                if (unsent != null) throw unsent;
                err.println("heptapctl: the agent at " + socket + " closed the connection without an answer");
                return NO_AGENT;
            }
            JsonNode first = mapper.readTree(line);
            if (json) out.println(line);
            if (!first.path("ok").asBoolean()) {
                if (!json) printer.refused(first);
                return REFUSED;
            }
            if (first.path("binary").asBoolean()) return receiveBinary(ch, mapper, timeoutMillis);
            if (!json) printer.answer(verb, first);
            if (!verb.equals("watch")) return OK;
            // the agent sends {} each second while nothing matches: silence means it is stuck
            while ((line = ch.readLine(timeoutMillis)) != null) {
                if (json) {
                    if (!line.equals("{}")) out.println(line);
                    out.flush();
                } else {
                    printer.watchEvent(mapper.readTree(line));
                }
            }
            return OK;
        } catch (LineChannel.TimeoutException e) {
            err.println("heptapctl: the agent at " + socket + " did not answer within " + seconds(timeoutSeconds)
                    + " s (is it stuck? --timeout SECONDS waits longer)");
            return NO_AGENT;
        } catch (LineChannel.TooLongException | JsonProcessingException e) {
            err.println("heptapctl: " + socket + " does not answer like a heptap agent: " + e.getMessage());
            return NO_AGENT;
        } catch (IOException e) {
            err.println("heptapctl: cannot talk to the agent at " + socket + ": " + e.getMessage()
                    + " (is heptap running? is it the right --control? are you in group heptap?)");
            return NO_AGENT;
        }
    }

    /**
     * The data lines of a binary answer, decoded into {@link #binaryOutput}, up to the end line. A
     * file left incomplete (the agent refused midway, or the connection broke) is removed.
     */
    private int receiveBinary(LineChannel ch, ObjectMapper mapper, long timeoutMillis) throws IOException {
        boolean toStdout = binaryOutput.equals("-");
        Path file = toStdout ? null : Path.of(binaryOutput);
        java.io.OutputStream sink =
                toStdout ? out : new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file));
        boolean complete = false;
        try {
            String line;
            while ((line = ch.readLine(timeoutMillis)) != null) {
                JsonNode n = mapper.readTree(line);
                if (n.has("data")) {
                    sink.write(
                            java.util.Base64.getDecoder().decode(n.get("data").asText()));
                } else if (n.path("end").asBoolean()) {
                    complete = true;
                    sink.flush();
                    if (json) err.println(line);
                    else if (n.has("text")) err.print(n.get("text").asText());
                    return OK;
                } else if (n.has("ok") && !n.path("ok").asBoolean()) {
                    new AnswerPrinter(out, err).refused(n);
                    return REFUSED;
                }
            }
            err.println("heptapctl: the agent closed the connection before the end of the data"
                    + (file != null ? "; " + file + " removed" : ""));
            return NO_AGENT;
        } catch (IllegalArgumentException e) {
            err.println("heptapctl: " + socket + " sent data that is not base64: " + e.getMessage());
            return NO_AGENT;
        } finally {
            if (!toStdout) {
                sink.close();
                if (!complete) java.nio.file.Files.deleteIfExists(file);
            } else {
                sink.flush();
            }
        }
    }

    private static String seconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    /** {@code --version}: the agent's version text. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"heptapctl " + org.heptap.core.AgentVersion.text()};
        }
    }
}
