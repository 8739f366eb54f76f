package org.heptap.cli;

import java.util.List;
import org.heptap.core.spi.QuickOption;
import picocli.CommandLine.Help;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * heptap's command line as picocli's model: the authority on what a command line means, and the
 * one source of {@code --help}, usage errors and the bash completion. {@link PlainArguments}
 * reads the plain command lines of ordinary starts without it and leaves everything else here.
 */
final class PicocliCommandLine {
    private PicocliCommandLine() {}

    /** The model of {@code options} (in the order --help lists them) with heptap's usage text. */
    static picocli.CommandLine model(List<QuickOption> options) {
        CommandSpec spec = CommandSpec.create().name("heptap");
        spec.usageMessage()
                .width(100)
                .sortOptions(false)
                .synopsisHeading("Usage:%n")
                .customSynopsis(
                        "  heptap [--config FILE] [-r FILE.pcap [--speed max|real|FACTOR] [--max-gap D] [--loop N] [--stay]]",
                        "  heptap --config FILE --check",
                        "  heptap --check-plan PLAN.cfg...",
                        "  heptap -i DEV|-r FILE [-p PORTS] [-H PROTO:HOST:PORT]... [--capture-id N] [--node-name S]",
                        "")
                .description("SIP and RTCP capture agent that speaks HEP.%n"
                        + "Quick flags (-i, -H, --capture-id, ...) without --config run a built-in configuration, like heplify; "
                        + "with --config, -i and -p override every socket's device and port range.%n")
                .footer(
                        "",
                        "Exit codes: 0 done, 1 bad configuration or plan, 2 bad command line, 3 could not run, 4 bad -r input,",
                        "5 some messages undelivered, 6 none delivered (README.md, \"Exit codes\").");
        for (QuickOption o : options) spec.addOption(OptionSpecs.of(o));
        picocli.CommandLine cmd = new picocli.CommandLine(spec);
        cmd.setOverwrittenOptionsAllowed(true); // the last -c, -i, ... wins, as in most tools
        return cmd;
    }

    /** Fills {@code options} from {@code args}; the first misuse as a {@link CommandLine.UsageException}. */
    static void parse(List<QuickOption> options, String[] args) throws CommandLine.UsageException {
        try {
            model(options).parseArgs(args);
        } catch (ParameterException e) {
            throw new CommandLine.UsageException(explain(e, args));
        }
    }

    /** The usage of {@code options}, as --help prints it. */
    static String usage(List<QuickOption> options) {
        return model(options).getUsageMessage(Help.Ansi.OFF);
    }

    /** A picocli complaint in heptap's words: the option as typed and what it needs. */
    private static String explain(ParameterException e, String[] args) {
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            return "unknown option " + u.getUnmatched().get(0) + " (see --help)";
        }
        if (e instanceof MissingParameterException m
                && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            String typed = typed(o, args);
            return typed.equals("--check-plan")
                    ? "--check-plan needs at least one plan file"
                    : typed + " needs a value";
        }
        return e.getMessage();
    }

    /** The name of {@code option} as the operator typed it (the last use). */
    private static String typed(OptionSpec option, String[] args) {
        for (int i = args.length - 1; i >= 0; i--) {
            for (String n : option.names()) {
                if (args[i].equals(n) || args[i].startsWith(n + "=")) return n;
            }
        }
        return option.longestName();
    }
}
