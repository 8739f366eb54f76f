package org.heptap.cli;

import java.io.IOException;
import java.io.StringReader;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.heptap.core.AgentVersion;
import org.heptap.core.capture.CaptureException;
import org.heptap.core.capture.ReplayPacer;
import org.heptap.core.config.AgentConfig;
import org.heptap.core.config.ConfigLoader;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.config.OperationsSettings;
import org.heptap.core.config.PasswordHash;
import org.heptap.core.config.PortRange;
import org.heptap.core.config.Problems;
import org.heptap.core.control.ControlServer;
import org.heptap.core.control.Operations;
import org.heptap.core.ledger.LossLedger;
import org.heptap.core.log.LogSetup;
import org.heptap.core.metrics.MetricsEndpoint;
import org.heptap.core.pipeline.Agent;
import org.heptap.core.pipeline.SocketStats;
import org.heptap.core.pipeline.TransportStartException;
import org.heptap.core.plan.FunctionRegistry;
import org.heptap.core.plan.PlanCompiler;
import org.heptap.core.plan.TransportResolver;
import org.heptap.core.spi.OperatorService;

/** {@code bin/heptap}: parses the command line and runs, checks or replays. */
public final class Main {
    private static final Logger LOG = System.getLogger(Main.class.getName());

    // Exit codes a script can rely on; README.md "Exit codes" documents them.
    /** All is well; after a replay: every message the plans sent reached its collector. */
    static final int OK = 0;
    /** Bad configuration or capture plan (--check, --check-plan, or at start). */
    static final int PROBLEMS = 1;
    /** Bad command line. */
    static final int USAGE = 2;
    /** Could not run: a capture device, the metrics port, a live capture failing. */
    static final int FAILED = 3;
    /** -r: the capture file is missing, unreadable, not a capture, or damaged part-way. */
    static final int INPUT = 4;
    /** After a replay: some messages did not reach their collector (the ledger says which). */
    static final int SOME_UNDELIVERED = 5;
    /** After a replay: messages were sent and none reached its collector. */
    static final int NONE_DELIVERED = 6;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            System.err.println("heptap: " + e.getMessage());
            System.err.println();
            System.err.print(CommandLine.usage());
            return USAGE;
        }
        if (cl.help) {
            System.out.print(CommandLine.usage());
            return OK;
        }
        if (cl.version) {
            System.out.println("heptap " + version());
            return OK;
        }
        if (cl.hashPassword) return hashPassword();
        LogSetup.init(cl.logLevel != null ? cl.logLevel : "info");
        if (!cl.checkPlans.isEmpty()) return checkPlans(cl.checkPlans, cl);
        if (cl.readFile != null && !cl.check) {
            String unusable = ReplayInput.whyUnusable(Path.of(cl.readFile));
            if (unusable != null) {
                System.err.println(
                        "heptap: -r " + cl.readFile + ": " + unusable + " (expected a pcap or pcapng capture file)");
                return INPUT;
            }
            try {
                ReplayPacer.parse(cl.speed, cl.maxGap);
            } catch (IllegalArgumentException e) {
                System.err.println("heptap: --speed " + cl.speed + ": " + e.getMessage());
                return USAGE;
            }
        }

        Problems problems = new Problems();
        AgentConfig config = loadConfigWithOperations(cl, problems);
        Agent agent = config == null ? null : Agent.prepare(config, problems);
        problems.warnings().forEach(System.err::println);
        if (problems.hasErrors()) {
            problems.errors().forEach(System.err::println);
            System.err.println("heptap: " + problems.errors().size() + " problem(s) found");
            return PROBLEMS;
        }
        if (cl.check) {
            System.out.println(config.file() + ": ok (" + config.sockets().size() + " socket(s), "
                    + config.transports().size() + " transport(s))");
            return OK;
        }
        if (cl.logLevel == null) LogSetup.setLevel(config.agent().logLevel());
        return runAgent(agent, cl);
    }

    private static int runAgent(Agent agent, CommandLine cl) {
        Operations ops = new Operations(agent, p -> loadConfigWithOperations(cl, p), version());
        OperationsSettings settings = agent.config().operations();
        ControlServer control =
                settings.controlSocket().isEmpty() ? null : ControlServer.start(ops, Path.of(settings.controlSocket()));
        MetricsEndpoint metrics = null;
        if (settings.metricsEnabled()) {
            metrics = new MetricsEndpoint(agent);
            try {
                metrics.start(settings.metricsHost(), settings.metricsPort());
            } catch (IOException e) {
                LOG.log(
                        Level.ERROR,
                        "metrics: cannot listen on " + settings.metricsHost() + ":" + settings.metricsPort() + ": "
                                + e.getMessage() + " (is another agent using it? change metrics.listen or --metrics)");
                if (control != null) control.close();
                return FAILED;
            }
        }
        List<OperatorService> services = agent.config().services();
        for (int i = 0; i < services.size(); i++) {
            try {
                services.get(i).start(ops);
            } catch (IOException e) {
                LOG.log(Level.ERROR, e.getMessage());
                for (int j = 0; j <= i; j++) services.get(j).close();
                if (control != null) control.close();
                if (metrics != null) metrics.close();
                return FAILED;
            }
        }
        if (cl.readFile == null) ops.handleSighup();
        CountDownLatch finished = new CountDownLatch(1);
        CountDownLatch signalled = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    LOG.log(Level.INFO, "stopping (signal)");
                    signalled.countDown();
                    agent.stop();
                    try {
                        finished.await(15, TimeUnit.SECONDS);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                },
                "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int rc = OK;
        String damage = null;
        LossLedger ledger = null;
        try {
            if (cl.readFile != null) {
                // each pass gets a pacer of its own (validated in run)
                damage = agent.runFile(Path.of(cl.readFile), () -> ReplayPacer.parse(cl.speed, cl.maxGap), cl.loop);
                if (cl.stay) stayUntilSignalled(signalled);
            } else {
                // the capture handles are open while the warm-up runs: traffic waits in their buffers
                agent.runLive(() -> {
                    if (agent.config().agent().warmUp()) warmUp();
                });
            }
        } catch (IOException e) {
            LOG.log(Level.ERROR, e.getMessage());
            if (e instanceof CaptureException c && !c.detail().isEmpty()) LOG.log(Level.ERROR, c.detail());
            // a replay's own file is bad input (4); anything that keeps the agent from running is 3
            rc = cl.readFile != null && !(e instanceof TransportStartException) ? INPUT : FAILED;
        } finally {
            boolean drained = agent.shutdown(Duration.ofSeconds(10));
            if (!drained)
                LOG.log(
                        Level.WARNING,
                        "some messages could not be delivered before the drain timeout (see transport counters)");
            // the final account: what was captured, what reached collectors, what did not and why
            ledger = LossLedger.of(agent);
            LOG.log(Level.INFO, ledger.summaryLine());
            if (control != null) control.close();
            if (metrics != null) metrics.close();
            services.forEach(OperatorService::close);
            finished.countDown();
            // a stop that was not a signal (replay ended, start-up error) must not log "stopping (signal)" on exit
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already shutting down: the hook ran (or runs) because of a signal
            }
        }
        if (cl.readFile == null) return rc;
        summarise(agent);
        if (damage != null) {
            LOG.log(Level.ERROR, damage + " (the frames before it were replayed)");
            if (rc == OK) rc = INPUT;
        }
        return rc == OK ? deliveryCode(ledger.sent(), ledger.unsent()) : rc;
    }

    /** --stay: the replay is done, the agent answers heptapctl until a signal stops it. */
    private static void stayUntilSignalled(CountDownLatch signalled) {
        LOG.log(Level.INFO, "replay done; staying up for heptapctl until stopped (--stay)");
        try {
            signalled.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code --hash-password}: one line of standard input (the password, not echoed when it is a
     * terminal) becomes a {@code pbkdf2-sha256:...} hash for {@code web.users}.
     */
    private static int hashPassword() {
        char[] password;
        java.io.Console console = System.console();
        if (console != null) {
            password = console.readPassword("password: ");
        } else {
            try {
                String line = new java.io.BufferedReader(
                                new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                        .readLine();
                password = line == null ? null : line.toCharArray();
            } catch (IOException e) {
                password = null;
            }
        }
        if (password == null || password.length == 0) {
            System.err.println("heptap: --hash-password: no password on standard input");
            return USAGE;
        }
        System.out.println(PasswordHash.of(password, PasswordHash.DEFAULT_ITERATIONS));
        java.util.Arrays.fill(password, ' ');
        return OK;
    }

    /** The exit code of a replay read whole: did what the plans sent reach the collectors? */
    static int deliveryCode(long sent, long unsent) {
        // below zero when a spool of an earlier run was delivered on top of this run's messages
        if (unsent <= 0) return OK;
        return sent == 0 ? NONE_DELIVERED : SOME_UNDELIVERED;
    }

    /** One line per socket that an operator reads after a replay: what was sent and skipped. */
    private static void summarise(Agent agent) {
        for (var p : agent.pipelines()) {
            SocketStats s = p.stats();
            LOG.log(
                    Level.INFO,
                    "socket " + p.settings().name() + ": " + s.frames() + " frames, " + s.decoded()
                            + " packets decoded, "
                            + s.decodeFailed() + " undecodable, " + s.sentMessages() + " sent, " + s.skippedMessages()
                            + " skipped by the plan");
        }
    }

    private static int checkPlans(List<String> files, CommandLine cl) {
        Problems problems = new Problems();
        FunctionRegistry functions;
        TransportResolver transports;
        if (cl.config != null) {
            // a plan checked against a config may only name that config's transports
            AgentConfig config = loadConfig(cl, problems);
            if (config == null) {
                problems.errors().forEach(System.out::println);
                return PROBLEMS;
            }
            functions = config.functions();
            transports = TransportResolver.of(config.transports().values());
        } else {
            functions = ConfigLoader.defaultFunctions(problems);
            transports = TransportResolver.acceptingAnyName();
        }
        Problems planProblems = new Problems();
        for (String f : files) {
            new PlanCompiler(functions, transports).compile(Path.of(f), f, "", planProblems);
        }
        planProblems.warnings().forEach(System.err::println);
        planProblems.errors().forEach(System.out::println);
        if (planProblems.hasErrors()) return PROBLEMS;
        for (String f : files) System.out.println(f + ": ok");
        return OK;
    }

    /** {@link #loadConfig}, with --control and --metrics applied on top of the YAML. */
    static AgentConfig loadConfigWithOperations(CommandLine cl, Problems problems) {
        AgentConfig c = loadConfig(cl, problems);
        if (c == null) return null;
        OperationsSettings ops = c.operations().withControlSocket(cl.control);
        if (cl.metrics != null) {
            ops = OperationsSettings.withMetrics(ops, cl.metrics);
            if (ops == null) {
                problems.error("--metrics " + cl.metrics + ": not HOST:PORT (e.g. 127.0.0.1:9096)");
                c.close();
                return null;
            }
        }
        return c.withOperations(ops);
    }

    /** The config named by --config, the bundled one, or one built from quick flags. */
    static AgentConfig loadConfig(CommandLine cl, Problems problems) {
        boolean offline = cl.readFile != null;
        List<PortRange> ports = null;
        if (cl.ports != null) {
            ports = PortRange.parseList(cl.ports);
            if (ports == null) {
                problems.error("-p " + cl.ports + ": not a port range (e.g. 5060-5090 or 5060,5080-5090)");
                return null;
            }
        }
        if (cl.config == null && (cl.quickFlags() || (cl.device != null && cl.readFile == null))) {
            String yaml = QuickConfig.yaml(cl);
            Problems built = new Problems();
            ConfigNode root = ConfigNode.parse(new StringReader(yaml), QuickConfig.SOURCE, built);
            Path plans = cl.quick.planDir(cl.contributors);
            AgentConfig config = new ConfigLoader(offline, cl.console, withWeb(ConfigLoader.Overrides.NONE, cl))
                    .build(root, plans, plans, built);
            problems.addAll(built, QuickConfig.asFlags(cl.contributors));
            return config;
        }
        if (cl.config != null && cl.quickFlags()) {
            problems.error(
                    "-H, --capture-id, --password, --node-name, -m, --rtcp-nat, --rtcpxr and --hin build a config of their own; with --config set them in "
                            + cl.config
                            + " (transports, sockets, modules.rtcp.nat-matching, a socket of type collector, format: hep for --hin)");
            return null;
        }
        Path file;
        String display;
        if (cl.config != null) {
            file = Path.of(cl.config);
            display = cl.config;
        } else {
            file = defaultConfig();
            display = file.toString();
        }
        if (!Files.isReadable(file)) {
            problems.error(display + ": cannot read the configuration file");
            return null;
        }
        return new ConfigLoader(offline, cl.console, withWeb(cl.overrides(ports), cl)).load(file, display, problems);
    }

    /** --web replaces web.listen. */
    private static ConfigLoader.Overrides withWeb(ConfigLoader.Overrides o, CommandLine cl) {
        return o.withServiceListen("web", "--web", cl.web);
    }

    static Path defaultConfig() {
        String home = System.getProperty("heptap.home");
        if (home != null) {
            Path p = Path.of(home, "conf", "heptap.yaml");
            if (Files.exists(p)) return p;
        }
        Path etc = Path.of("/etc/heptap/heptap.yaml");
        if (Files.exists(etc)) return etc;
        return Path.of("conf", "heptap.yaml");
    }

    private static void warmUp() {
        String said = WarmUp.run(WarmUp.sample(), WarmUp.PASSES);
        LOG.log(said.startsWith("replayed") ? Level.INFO : Level.WARNING, "warm-up: " + said);
    }

    static String version() {
        return AgentVersion.text();
    }
}
