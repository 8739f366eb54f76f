package org.heptap.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.heptap.core.capture.ReplayPacer;
import org.heptap.core.config.ConfigLoader;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.PortRange;
import org.heptap.core.spi.QuickModeContributor;
import org.heptap.core.spi.QuickOption;
import org.heptap.core.spi.QuickOptions;
import org.heptap.core.spi.QuickRun;

/**
 * heptap's command line: the agent's own options here, and each module's quick-flag options from
 * its {@link QuickModeContributor#options}. One picocli model of them ({@link PicocliCommandLine})
 * decides what a command line means, {@code --help} and the bash completion; a plain command line
 * is read without it ({@link PlainArguments}). Parsing reports the first misuse as
 * {@link UsageException}.
 */
final class CommandLine {
    String config;

    boolean check;

    final List<String> checkPlans = new ArrayList<>();

    String readFile;

    String speed = "max";

    private String maxGapText;
    /** --max-gap DURATION: the longest wait between two packets of a paced replay; 0 = none. */
    Duration maxGap = ReplayPacer.DEFAULT_MAX_GAP;

    private String loopText;
    /** --loop N: replay the -r file N times; 0 = until stopped (like heplify's -lp). */
    long loop = 1;

    boolean stay;

    String device;

    String ports;

    String kernelBuffer;

    private String captureIdText;

    Long captureId;

    String nodeName;

    boolean console;

    private boolean noDefrag;

    private boolean noTcp;

    private boolean noDecap;

    private boolean dedupFlag;

    /** --discard-ips LIST: addresses and CIDR prefixes dropped before the plan (every socket). */
    String discardIps;

    /** --discard-methods LIST: SIP methods dropped before the plan, with their responses. */
    String discardMethods;

    String logLevel;

    /** --control PATH: the control socket for heptapctl (beside control.socket). */
    String control;

    /** --metrics HOST:PORT: the Prometheus endpoint (beside metrics.listen). */
    String metrics;

    /** --web HOST:PORT: the agent's web page and JSON API (beside web.listen). */
    String web;

    /** --hash-password: reads a password on stdin, prints its hash for web.users. */
    boolean hashPassword;

    boolean help;
    /** The quick-flag configuration of this run: its plan folder is made once, and reloads reuse it. */
    final QuickConfig quick = new QuickConfig();

    boolean version;

    /** {@code -m} as typed (an option only when a module names mode words), or null. */
    String modeText;

    /** {@code -m}'s words, lower case, after {@link #settle}; null when not given. */
    List<String> mode;

    /** The modules' parts of a quick-flag run, whose options the command line fills beside ours. */
    final List<QuickModeContributor> contributors;

    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private CommandLine(List<QuickModeContributor> contributors) {
        List<QuickModeContributor> ranked = new ArrayList<>(contributors);
        ranked.sort(Comparator.comparingInt(QuickModeContributor::rank));
        this.contributors = List.copyOf(ranked);
    }

    /** The contributors on the class path, fresh: their options hold one run's values. */
    static List<QuickModeContributor> contributors() {
        List<QuickModeContributor> out = new ArrayList<>();
        ServiceLoader.load(QuickModeContributor.class).forEach(out::add);
        return out;
    }

    /** The command line of the modules on the class path, not parsed yet. */
    static CommandLine withModules() {
        return new CommandLine(contributors());
    }

    static CommandLine parse(String[] args) throws UsageException {
        return parse(args, contributors());
    }

    static CommandLine parse(String[] args, List<QuickModeContributor> contributors) throws UsageException {
        CommandLine c = new CommandLine(contributors);
        List<QuickOption> options = c.options();
        // picocli costs a start ~50 ms of CPU: a plain command line is read without it
        if (!PlainArguments.read(options, args)) PicocliCommandLine.parse(options, args);
        c.settle();
        return c;
    }

    /** The picocli model of these options and the contributors'. */
    picocli.CommandLine model() {
        return PicocliCommandLine.model(options());
    }

    /**
     * Every option, each filling this command line or its contributor, in the order --help lists
     * them: ours, then each contributor's, then {@code -m} when a module names mode words.
     */
    List<QuickOption> options() {
        List<QuickOption> all = new ArrayList<>(ownOptions());
        for (QuickModeContributor q : contributors) all.addAll(q.options());
        List<String> words = modeWords();
        if (!words.isEmpty()) {
            all.add(QuickOptions.value(
                    "-m --mode",
                    String.join("+", words),
                    "what to capture: any of " + String.join(", ", words) + " joined by '+' (default: all of them, "
                            + String.join("+", words) + ")",
                    v -> modeText = v));
        }
        return all;
    }

    /** heptap's own options, in the order --help lists them. */
    private List<QuickOption> ownOptions() {
        return List.of(
                QuickOptions.value(
                        "-c --config",
                        "FILE",
                        "run as the YAML file says (default: the bundled conf/heptap.yaml)",
                        v -> config = v),
                QuickOptions.flag(
                        "--check",
                        "validate the config and every capture plan it names; prints each problem "
                                + "as file:line[:col]: message; exit 0 or 1",
                        () -> check = true),
                QuickOptions.list(
                        "--check-plan",
                        "PLAN",
                        "",
                        "1..*",
                        "check capture plans alone (syntax, functions, arity)",
                        checkPlans),
                QuickOptions.value(
                        "-r --read-file",
                        "FILE",
                        "read a capture file (pcap, nanosecond pcap, pcapng) through the configured sockets instead of "
                                + "capturing live; every socket sees each packet once, in capture order; exits 0 when all is sent",
                        v -> readFile = v),
                QuickOptions.value(
                        "--speed",
                        "max|real|FACTOR",
                        "file replay pace: as fast as possible "
                                + "(default), at recorded speed, or FACTOR times recorded speed (2 = twice as fast)",
                        v -> speed = v),
                QuickOptions.value(
                        "--max-gap",
                        "DURATION",
                        "paced replay: wait at most this long between two "
                                + "packets (default 1s; 0 = as recorded, however long); logged once",
                        v -> maxGapText = v),
                QuickOptions.value(
                        "--loop", "N", "replay the file N times (0 = until stopped; default 1)", v -> loopText = v),
                QuickOptions.flag(
                        "--stay",
                        "after the replay, keep running (control socket, metrics) until stopped, so heptapctl "
                                + "can still ask the agent (e.g. for calls in the ring)",
                        () -> stay = true),
                QuickOptions.value(
                        "-i --interface", "DEV", "capture on DEV ('any' for all interfaces)", v -> device = v),
                QuickOptions.value(
                        "-p --ports",
                        "PORTS",
                        "port range(s) of the capture sockets, default the module's (SIP: 5060-5090; e.g. 5060,5080-5090)",
                        v -> ports = v),
                QuickOptions.value(
                        "-b --kernel-buffer",
                        "SIZE",
                        "kernel capture buffer per socket, MB or with a unit (default 64MB)",
                        v -> kernelBuffer = v),
                QuickOptions.value(
                        "--capture-id", "N", "capture id (agent.node-id; default 2001)", v -> captureIdText = v),
                QuickOptions.value("--node-name", "S", "node name (agent.node-name)", v -> nodeName = v),
                QuickOptions.flag(
                        "--console",
                        "print what plans send to the console transport even when stdout is not " + "a terminal",
                        () -> console = true),
                QuickOptions.flag(
                        "--no-defrag", "do not reassemble IP fragments (every socket)", () -> noDefrag = true),
                QuickOptions.flag(
                        "--no-tcp", "do not reassemble TCP streams: each segment is one message", () -> noTcp = true),
                QuickOptions.flag(
                        "--no-decap",
                        "do not decode packets inside IP-in-IP, GRE/ERSPAN, VXLAN, HP ERM",
                        () -> noDecap = true),
                QuickOptions.flag(
                        "--dedup",
                        "drop a packet identical to one seen within 2 s (SPAN copies)",
                        () -> dedupFlag = true),
                QuickOptions.value(
                        "--discard-ips",
                        "LIST",
                        "drop packets from or to these addresses or CIDR "
                                + "prefixes, v4 or v6 (e.g. 10.0.0.1,192.0.2.0/24); replaces sockets' discard-ips",
                        v -> discardIps = v),
                QuickOptions.value(
                        "--discard-methods",
                        "LIST",
                        "drop SIP requests with these methods and "
                                + "their responses (e.g. OPTIONS,NOTIFY); replaces sockets' discard-methods",
                        v -> discardMethods = v),
                QuickOptions.value(
                        "-l --log-level", "LEVEL", "error, warning, info (default) or debug", v -> logLevel = v),
                QuickOptions.value(
                        "--control",
                        "PATH",
                        "control socket for heptapctl (default "
                                + "/run/heptap/heptap.sock; off when its folder does not exist)",
                        v -> control = v),
                QuickOptions.value(
                        "--metrics",
                        "HOST:PORT",
                        "serve Prometheus metrics at " + "http://HOST:PORT/metrics",
                        v -> metrics = v),
                QuickOptions.value(
                        "--web",
                        "HOST:PORT",
                        "serve the web page and JSON API at http://HOST:PORT/ (a bare PORT: loopback; "
                                + "off loopback web.token or web.users must be set)",
                        v -> web = v),
                QuickOptions.flag(
                        "--hash-password",
                        "read a password from standard input and print its hash for web.users, then exit",
                        () -> hashPassword = true),
                // picocli's help options (OptionSpecs), which PlainArguments leaves to it
                QuickOptions.flag("-h --help", "print this help and exit", () -> help = true),
                QuickOptions.flag("-V --version", "print the version and exit", () -> version = true));
    }

    /** The words of {@code -m} the modules understand, in their rank order. */
    private List<String> modeWords() {
        List<String> words = new ArrayList<>();
        for (QuickModeContributor q : contributors) {
            for (String w : q.modeWords()) if (!words.contains(w)) words.add(w);
        }
        return words;
    }

    /**
     * {@code -m}'s words, each one the modules name; a word written as several run together
     * (heplify's {@code SIPRTCP}) counts as those. Throws when a word is none of them.
     */
    private List<String> parseMode(String text) throws UsageException {
        List<String> known = modeWords();
        List<String> out = new ArrayList<>();
        for (String w : text.toLowerCase(java.util.Locale.ROOT).split("\\+", -1)) {
            if (!split(w.trim(), known, out)) {
                throw new UsageException("-m " + text + ": use any of " + String.join(", ", known)
                        + " joined by '+' (default: " + String.join("+", known) + ")");
            }
        }
        return out;
    }

    /** Adds {@code w} to {@code out} as one known word or several run together; false when it is neither. */
    private static boolean split(String w, List<String> known, List<String> out) {
        if (w.isEmpty()) return false;
        if (known.contains(w)) {
            out.add(w);
            return true;
        }
        for (String k : known) {
            int size = out.size();
            if (w.startsWith(k) && split(w.substring(k.length()), known, out)) {
                out.add(size, k);
                return true;
            }
            while (out.size() > size) out.remove(out.size() - 1);
        }
        return false;
    }

    /** heptap's usage, generated from the model with every module's options. */
    static String usage() {
        return PicocliCommandLine.usage(withModules().options());
    }

    /** Checks and converts what was read as text, and the combinations of options. */
    private void settle() throws UsageException {
        if (maxGapText != null) {
            maxGap = ConfigNode.parseDuration(maxGapText);
            if (maxGap == null || maxGap.isNegative()) {
                throw new UsageException(
                        "--max-gap " + maxGapText + ": not a duration (e.g. 1s, 500ms, 2m; 0 = no cap)");
            }
        }
        if (loopText != null) {
            try {
                loop = Long.parseLong(loopText);
                if (loop < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new UsageException(
                        "--loop " + loopText + ": give how many times to replay the file (0 = until stopped)");
            }
        }
        // heplify's -b is a number of MB; sizes with a unit are taken as they are
        if (kernelBuffer != null && kernelBuffer.matches("\\d+")) kernelBuffer += "MB";
        if (captureIdText != null) {
            try {
                long n = Long.parseLong(captureIdText);
                if (n < 0 || n > 0xFFFFFFFFL) throw new NumberFormatException();
                captureId = n;
            } catch (NumberFormatException e) {
                throw new UsageException("--capture-id " + captureIdText + " is not a number (0-4294967295)");
            }
        }
        if (modeText != null) mode = parseMode(modeText);
        if (loopText != null && readFile == null)
            throw new UsageException("--loop replays a capture file: it needs -r FILE");
        if (stay && readFile == null) throw new UsageException("--stay keeps a replay running: it needs -r FILE");
        QuickRun run = quickRun();
        for (QuickModeContributor q : contributors) {
            String misuse = q.misuse(run);
            if (misuse != null) throw new UsageException(misuse);
        }
    }

    /**
     * What the command line overrides in every socket of a configuration file: {@code ports}
     * (from -p), the device, the discard lists, and each decode switch, which is null unless its
     * flag was given, so that the file decides.
     */
    ConfigLoader.Overrides overrides(List<PortRange> ports) {
        Map<String, List<String>> lists =
                discardMethods != null ? Map.of("methods", List.of(discardMethods)) : Map.of();
        List<String> ips = discardIps != null ? List.of(discardIps) : null;
        return new ConfigLoader.Overrides(
                device,
                ports,
                noDefrag ? Boolean.FALSE : null,
                noTcp ? Boolean.FALSE : null,
                noDecap ? Boolean.FALSE : null,
                dedupFlag ? Boolean.TRUE : null,
                ips,
                lists);
    }

    /** True when a quick flag asks for a run without a config file. */
    boolean quickFlags() {
        return captureId != null
                || nodeName != null
                || modeText != null
                || contributors.stream().anyMatch(QuickModeContributor::asksForQuickRun);
    }

    /** What the modules build a quick run's sockets from. */
    QuickRun quickRun() {
        // a collector that runs alone (--hin, --rtcpxr) gets capture sockets only when -i or -r asks
        boolean capture =
                contributors.stream().noneMatch(QuickModeContributor::runsAlone) || device != null || readFile != null;
        Map<String, String> lists = new LinkedHashMap<>();
        if (discardMethods != null) lists.put("methods", discardMethods);
        ConfigLoader.Overrides switches = overrides(null);
        return new QuickRun(
                device,
                readFile,
                ports,
                kernelBuffer,
                switches.defrag(),
                switches.tcpReassembly(),
                switches.decapsulation(),
                switches.dedup(),
                discardIps,
                lists,
                capture,
                mode);
    }
}
