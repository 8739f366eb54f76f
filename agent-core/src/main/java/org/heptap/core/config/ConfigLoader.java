package org.heptap.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.heptap.core.decode.DecodeOptions;
import org.heptap.core.decode.tcp.TcpOptions;
import org.heptap.core.discard.IpPrefixList;
import org.heptap.core.discard.SocketDiscards;
import org.heptap.core.metrics.ModuleCounters;
import org.heptap.core.plan.FunctionRegistry;
import org.heptap.core.plan.functions.CorePlanFunctions;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.CaptureFilterClause;
import org.heptap.core.spi.ConfigDefault;
import org.heptap.core.spi.ConnectionLayer;
import org.heptap.core.spi.ConnectionLayerProvider;
import org.heptap.core.spi.DiscardList;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.MessageFieldWriter;
import org.heptap.core.spi.OperatorService;
import org.heptap.core.spi.OperatorServiceProvider;
import org.heptap.core.spi.OperatorSetup;
import org.heptap.core.spi.Transport;
import org.heptap.core.spi.TransportProvider;
import org.heptap.core.transport.ConsoleTransportProvider;

/**
 * Reads and validates {@code heptap.yaml}: every wrong value and unknown key becomes a
 * {@code file:line: key: problem} entry, and all of them are reported, not only the first.
 * Modules are discovered with {@link ServiceLoader}, fresh for every load so a reload starts clean.
 */
public final class ConfigLoader {
    private static final String ALL_PORTS = "1-65535";
    private static final Set<String> ROOT_KEYS =
            Set.of("agent", "sockets", "transports", "modules", "control", "metrics");

    private final boolean offline;
    private final boolean forceConsole;
    private final Overrides overrides;
    private Path base = Path.of("");
    private Path shownBase = Path.of("");
    /** What the modules on the class path say for keys the YAML leaves out. */
    private Map<ConfigDefault, String> defaults = Map.of();

    /** Command-line values that replace what the YAML says, for every socket. */
    public record Overrides(
            String device,
            List<PortRange> ports,
            Boolean defrag,
            Boolean tcpReassembly,
            Boolean decapsulation,
            Boolean dedup,
            List<String> discardIps,
            Map<String, List<String>> discardLists,
            Map<String, String> serviceListen) {
        public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null, Map.of());

        public Overrides(String device, List<PortRange> ports) {
            this(device, ports, null, null, null, null, null, Map.of());
        }

        public Overrides(
                String device,
                List<PortRange> ports,
                Boolean defrag,
                Boolean tcpReassembly,
                Boolean decapsulation,
                Boolean dedup,
                List<String> discardIps,
                Map<String, List<String>> discardLists) {
            this(device, ports, defrag, tcpReassembly, decapsulation, dedup, discardIps, discardLists, Map.of());
        }

        /**
         * The same overrides with an operator service's listen address from its flag: {@code flag}
         * (e.g. {@code --web}) said {@code hostPort} for the service of section {@code section}.
         */
        public Overrides withServiceListen(String section, String flag, String hostPort) {
            if (hostPort == null) return this;
            Map<String, String> m = new LinkedHashMap<>(serviceListen);
            m.put(section, flag + " " + hostPort);
            return new Overrides(
                    device, ports, defrag, tcpReassembly, decapsulation, dedup, discardIps, discardLists, m);
        }
    }

    public ConfigLoader(boolean offline, boolean forceConsole, Overrides overrides) {
        this.offline = offline;
        this.forceConsole = forceConsole;
        this.overrides = overrides;
    }

    /** Loads a YAML file; returns null when any error was reported. */
    public AgentConfig load(Path file, String displayName, Problems problems) {
        ConfigNode root = ConfigNode.load(file, displayName, problems);
        Path base = file.toAbsolutePath().getParent();
        Path shownBase = Path.of(displayName).getParent();
        return build(root, base, shownBase == null ? Path.of("") : shownBase, problems);
    }

    /**
     * @param base      folder the config's relative paths are resolved against
     * @param shownBase the same folder as the operator named it, for messages
     */
    public AgentConfig build(ConfigNode root, Path base, Path shownBase, Problems problems) {
        List<HeptapModule> modules = new ArrayList<>();
        Map<String, Transport> transports = new LinkedHashMap<>();
        AgentConfig built = null;
        try {
            built = build(root, base, shownBase, problems, modules, transports);
            return built;
        } finally {
            // a refused configuration never runs: what building it opened (module hooks and
            // state, transports) is closed now, whether it was refused or building it threw
            if (built == null) AgentConfig.closeAll(transports.values(), modules);
        }
    }

    /** Builds into {@code modules} and {@code transports} as it goes, so the caller can close what was made. */
    private AgentConfig build(
            ConfigNode root,
            Path base,
            Path shownBase,
            Problems problems,
            List<HeptapModule> modules,
            Map<String, Transport> transports) {
        this.shownBase = shownBase;
        this.base = base;
        AgentSettings agent = readAgent(root.section("agent"), base);
        // module counters of this configuration's own: a refused one registers nothing where the running
        // one is read, and an applied reload carries the running counts over (Agent.reload)
        AgentContext context =
                new AgentContext(agent.nodeId(), agent.nodeName(), offline, List.of(), new ModuleCounters());

        loadModules(root.section("modules"), context, modules);
        defaults = defaultsOf(modules);
        FunctionRegistry functions = functionsOf(modules);

        Map<String, TransportProvider> providers = new LinkedHashMap<>();
        ConsoleTransportProvider console = new ConsoleTransportProvider(forceConsole);
        providers.put(console.type(), console);
        for (HeptapModule m : modules) {
            for (TransportProvider p : m.transports()) providers.put(p.type(), p);
        }
        List<MessageFieldWriter> fieldWriters = new ArrayList<>();
        for (HeptapModule m : modules) fieldWriters.addAll(m.messageFields());
        context = context.withFieldWriters(fieldWriters);
        readTransports(root.section("transports"), providers, context, transports);
        List<SocketSettings> sockets = readSockets(root.section("sockets"), agent, modules);
        OperationsSettings operations = readOperations(root.section("control"), root.section("metrics"));
        Set<String> rootKeys = new LinkedHashSet<>(ROOT_KEYS);
        List<OperatorService> services = readServices(root, modules, rootKeys);
        root.finish(rootKeys);
        if (problems.hasErrors()) {
            services.forEach(OperatorService::close);
            return null;
        }
        return new AgentConfig(
                root.file(), agent, context, sockets, transports, modules, functions, operations, services);
    }

    private AgentSettings readAgent(ConfigNode n, Path base) {
        long nodeId = n.integer("node-id", 2001, 0, 0xFFFFFFFFL);
        String nodeName = n.string("node-name", "");
        String level = n.oneOf("log-level", "info", "error", "warning", "info", "debug");
        String plans = n.string("capture-plans", "captureplans");
        boolean warmUp = n.bool("warm-up", true);
        n.finish();
        Path planDir = base.resolve(plans).normalize();
        return new AgentSettings(nodeId, nodeName, level, planDir, warmUp);
    }

    /**
     * Configures every operator service on the class path from its own top-level section (added
     * to {@code rootKeys}); a service whose section leaves it off is not in the list.
     */
    private List<OperatorService> readServices(ConfigNode root, List<HeptapModule> modules, Set<String> rootKeys) {
        Map<String, ConnectionLayerProvider> layers = new LinkedHashMap<>();
        for (HeptapModule m : modules) {
            for (ConnectionLayerProvider p : m.connectionLayers()) layers.put(p.scheme(), p);
        }
        List<OperatorService> services = new ArrayList<>();
        for (OperatorServiceProvider p : ServiceLoader.load(OperatorServiceProvider.class)) {
            rootKeys.add(p.section());
            String flag = overrides.serviceListen().get(p.section());
            int space = flag == null ? -1 : flag.indexOf(' ');
            OperatorSetup setup = space < 0
                    ? new OperatorSetup(layers, null, null)
                    : new OperatorSetup(layers, flag.substring(0, space), flag.substring(space + 1));
            OperatorService s = p.configure(root.section(p.section()), setup);
            if (s != null) services.add(s);
        }
        return services;
    }

    private static OperationsSettings readOperations(ConfigNode control, ConfigNode metrics) {
        String socket = control.string("socket", OperationsSettings.DEFAULT_CONTROL_SOCKET);
        control.finish();
        String listen = metrics.string("listen", "");
        metrics.finish();
        OperationsSettings ops = OperationsSettings.DEFAULTS.withControlSocket(socket);
        if (listen.isEmpty()) return ops;
        OperationsSettings withMetrics = OperationsSettings.withMetrics(ops, listen);
        if (withMetrics == null) {
            metrics.child("listen").error(listen + " is not HOST:PORT (e.g. 127.0.0.1:9096)");
            return ops;
        }
        return withMetrics;
    }

    /**
     * The functions of every module, each configured with defaults: what a plan can call when no
     * configuration is at hand ({@code --check-plan} on its own).
     */
    public static FunctionRegistry defaultFunctions(Problems problems) {
        ConfigNode none = ConfigNode.empty("(defaults)", problems);
        List<HeptapModule> modules = new ArrayList<>();
        new ConfigLoader(true, false, Overrides.NONE).loadModules(none, new AgentContext(0, "", true), modules);
        return functionsOf(modules);
    }

    private static FunctionRegistry functionsOf(List<HeptapModule> modules) {
        FunctionRegistry functions = new FunctionRegistry();
        functions.registerAll(CorePlanFunctions.all());
        for (HeptapModule m : modules) {
            functions.registerAll(m.functions());
            functions.decline(m.declinedFunctions());
        }
        return functions;
    }

    /** The first module to supply a default wins (modules are listed in class-path order). */
    static Map<ConfigDefault, String> defaultsOf(List<HeptapModule> modules) {
        Map<ConfigDefault, String> out = new java.util.EnumMap<>(ConfigDefault.class);
        for (HeptapModule m : modules) m.configDefaults().forEach(out::putIfAbsent);
        return out;
    }

    /** Finds and configures every module into {@code modules} (in the order found, each added before it is configured). */
    private void loadModules(ConfigNode section, AgentContext context, List<HeptapModule> modules) {
        Set<String> names = new LinkedHashSet<>();
        for (HeptapModule m : ServiceLoader.load(HeptapModule.class)) {
            names.add(m.name());
            modules.add(m);
            m.configure(section.section(m.name()), context);
        }
        section.finish(names);
    }

    private void readTransports(
            ConfigNode section,
            Map<String, TransportProvider> providers,
            AgentContext context,
            Map<String, Transport> out) {
        for (Map.Entry<String, ConfigNode> e : section.children().entrySet()) {
            ConfigNode profile = e.getValue();
            if (!profile.isMapping()) {
                profile.error("must be a mapping with at least 'type'");
                continue;
            }
            String type = profile.string("type", defaults.get(ConfigDefault.TRANSPORT_TYPE));
            if (type == null) {
                profile.error("type is required (available: " + String.join(", ", providers.keySet()) + ")");
                profile.children();
                continue;
            }
            TransportProvider p = providers.get(type);
            if (p == null) {
                // without a type key the default (a module's) is missing: the profile itself is at fault
                (profile.has("type") ? profile.child("type") : profile)
                        .error("no module provides transport type '" + type + "' (available: "
                                + String.join(", ", providers.keySet()) + ")" + Suggest.hint(type, providers.keySet()));
                profile.children();
                continue;
            }
            Transport t = p.create(e.getKey(), profile, context);
            if (t != null) out.put(e.getKey(), t);
        }
    }

    private DecodeOptions readDecodeOptions(ConfigNode s) {
        DecodeOptions d = DecodeOptions.DEFAULTS;
        boolean defrag = s.bool("defrag", d.defrag());
        int datagrams = (int) s.integer("fragment-max-datagrams", d.fragmentDatagrams(), 1, 1_000_000);
        long bytes = s.size("fragment-max-bytes", d.fragmentBytes());
        Duration timeout = s.duration("fragment-timeout", Duration.ofNanos(d.fragmentTimeoutMicros() * 1000));
        boolean decap = s.bool("decapsulation", d.decapsulate());
        boolean dedup = s.bool("dedup", d.dedup());
        Duration window = s.duration("dedup-window", Duration.ofNanos(d.dedupWindowMicros() * 1000));
        if (overrides.defrag() != null) defrag = overrides.defrag();
        if (overrides.decapsulation() != null) decap = overrides.decapsulation();
        if (overrides.dedup() != null) dedup = overrides.dedup();
        return new DecodeOptions(defrag, datagrams, bytes, micros(timeout), decap, dedup, micros(window));
    }

    private TcpOptions readTcpOptions(ConfigNode s) {
        TcpOptions d = TcpOptions.DEFAULTS;
        boolean on = s.bool("tcp-reassembly", d.reassemble());
        int flows = (int) s.integer("tcp-max-flows", d.maxFlows(), 1, 10_000_000);
        long bytes = s.size("tcp-max-bytes", d.maxBytes());
        long message = s.size("tcp-max-message", d.maxMessage());
        if (message < 1024 || message > (16 << 20)) {
            s.child("tcp-max-message").error(message + " is out of range (1k-16MB)");
            message = d.maxMessage();
        }
        Duration idle = s.duration("tcp-idle-timeout", Duration.ofNanos(d.idleTimeoutMicros() * 1000));
        String framer = s.string("stream-framer", defaults.getOrDefault(ConfigDefault.STREAM_FRAMER, d.framer()));
        String wsText = s.string("websocket-ports", "");
        List<PortRange> ws = List.of();
        if (!wsText.isBlank()) {
            ws = PortRange.parseList(wsText);
            if (ws == null) {
                s.child("websocket-ports").error(wsText + " is not a port range (e.g. 8080 or 80,8080-8090)");
                ws = List.of();
            }
        }
        if (overrides.tcpReassembly() != null) on = overrides.tcpReassembly();
        return new TcpOptions(on, flows, bytes, (int) message, micros(idle), framer, ws);
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }

    /**
     * A {@code type: collector} socket: listen addresses, reply policy, TCP framing bounds and the
     * plan. Capture keys (device, port-range, ...) are unknown here and reported as such.
     */
    private SocketSettings readCollector(String name, ConfigNode s, AgentSettings agent, List<HeptapModule> modules) {
        ConfigNode listenNode = s.child("listen");
        List<CollectorSettings.Listen> listen = CollectorSettings.parseAll(listenNode);
        if (listenNode == null || listenNode.isNull()) {
            s.error(
                    "listen is required for a collector socket (e.g. udp:0.0.0.0:9060, or a list with tcp:0.0.0.0:9060)");
        }
        Map<String, ConnectionLayer> layers = readConnectionLayers(name, s, listenNode, listen, modules);
        String format = s.string("format", CollectorSettings.RAW);
        boolean raw = format.equals(CollectorSettings.RAW);
        // an envelope comes from agents, not from phones: nobody waits for an answer
        boolean reply = s.bool("reply", raw);
        String responder = s.string("responder", defaults.getOrDefault(ConfigDefault.RESPONDER, ""));
        int protocolType = (int) s.integer("protocol-type", 0, 0, 255);
        int maxConnections = (int) s.integer("max-connections", 256, 1, 100_000);
        TcpOptions d = TcpOptions.DEFAULTS;
        long message = sizeIn(s, "tcp-max-message", d.maxMessage(), 1024, 16 << 20, "1k-16MB");
        Duration idle = s.duration("tcp-idle-timeout", Duration.ofNanos(d.idleTimeoutMicros() * 1000));
        String framer = s.string(
                "stream-framer", raw ? defaults.getOrDefault(ConfigDefault.STREAM_FRAMER, d.framer()) : format);
        CollectorSettings.Limits limits = readCollectorLimits(s);
        ConfigNode planNode = s.child("capture-plan");
        String planName = s.string("capture-plan", null);
        if (planName == null) {
            s.error("capture-plan is required (a file in " + agent.capturePlans() + ")");
            planName = "";
        }
        s.finish();
        boolean anyTcp = listen.stream().anyMatch(CollectorSettings.Listen::tcp);
        TcpOptions tcp =
                new TcpOptions(anyTcp, maxConnections, d.maxBytes(), (int) message, micros(idle), framer, List.of());
        Path plan = agent.capturePlans().resolve(planName).normalize();
        String shown = plan.startsWith(base)
                ? shownBase.resolve(base.relativize(plan)).normalize().toString()
                : plan.toString();
        String ports = listen.stream()
                .map(l -> String.valueOf(l.port()))
                .distinct()
                .reduce((a, b) -> a + "," + b)
                .orElse("1");
        return new SocketSettings(
                name,
                "",
                false,
                65535,
                0,
                false,
                Duration.ZERO,
                PortRange.parseList(ports),
                anyTcp && listen.stream().anyMatch(l -> !l.tcp()) ? "all" : anyTcp ? "tcp" : "udp",
                "",
                plan,
                shown,
                s.file(),
                planNode != null ? planNode.line() : s.line(),
                List.of(),
                DecodeOptions.DEFAULTS,
                tcp,
                new CollectorSettings(
                        List.copyOf(listen), reply, responder, protocolType, maxConnections, format, layers, limits),
                SocketDiscards.NONE);
    }

    /** A collector's bounds against bad or hostile senders (per source, per connection, per second). */
    private static CollectorSettings.Limits readCollectorLimits(ConfigNode s) {
        CollectorSettings.Limits d = CollectorSettings.Limits.DEFAULTS;
        int perSource = (int) s.integer("max-connections-per-source", d.maxConnectionsPerSource(), 1, 100_000);
        Duration first = s.duration("tcp-first-message-timeout", Duration.ofNanos(d.firstMessageTimeoutNanos()));
        if (first.isNegative() || first.isZero()) {
            ConfigNode n = s.child("tcp-first-message-timeout");
            n.error(n.text() + " is not a positive duration (e.g. 5s)");
            first = Duration.ofNanos(d.firstMessageTimeoutNanos());
        }
        long receiveBuffer = sizeIn(s, "receive-buffer", d.receiveBuffer(), 4L << 10, 1L << 30, "4k-1GB");
        long inflateRate =
                sizeIn(s, "inflate-per-source", d.inflatePerSource(), 1L << 10, 1L << 30, "1k-1GB per second");
        long inflateMax = sizeIn(s, "inflate-max-payload", d.inflateMaxPayload(), 1L << 10, 16L << 20, "1k-16MB");
        return new CollectorSettings.Limits(
                perSource, first.toNanos(), (int) receiveBuffer, inflateRate, (int) inflateMax);
    }

    /** A byte size within {@code [min, max]}; out of range is reported with {@code range} and the default kept. */
    private static long sizeIn(ConfigNode s, String key, long def, long min, long max, String range) {
        long v = s.size(key, def);
        if (v < min || v > max) {
            ConfigNode n = s.child(key);
            n.error(n.text() + " is out of range (" + range + ")");
            return def;
        }
        return v;
    }

    /**
     * The connection layer of each scheme a collector's listen entries use ({@code tls:HOST:PORT}),
     * configured by the module that offers it from the socket's section of that name. A section
     * of a module's scheme that no entry uses is read too (its mistakes still reported) and warned about.
     */
    private static Map<String, ConnectionLayer> readConnectionLayers(
            String socket,
            ConfigNode s,
            ConfigNode listenNode,
            List<CollectorSettings.Listen> listen,
            List<HeptapModule> modules) {
        Map<String, ConnectionLayerProvider> providers = new LinkedHashMap<>();
        for (HeptapModule m : modules) {
            for (ConnectionLayerProvider p : m.connectionLayers()) providers.put(p.scheme(), p);
        }
        Map<String, ConnectionLayer> layers = new LinkedHashMap<>();
        for (CollectorSettings.Listen l : listen) {
            if (l.layer() == null || layers.containsKey(l.layer())) continue;
            ConnectionLayerProvider p = providers.get(l.layer());
            if (p == null) {
                listenNode.error(l + ": no module listens with " + l.layer() + ": (available: udp, tcp"
                        + (providers.isEmpty() ? "" : ", " + String.join(", ", providers.keySet())) + ")");
                continue;
            }
            if (!s.has(l.layer())) {
                listenNode.error(l + " needs the socket's " + l.layer() + ": section (its settings)");
                layers.put(l.layer(), null);
                continue;
            }
            layers.put(l.layer(), p.configure(socket, s.section(l.layer())));
        }
        for (ConnectionLayerProvider p : providers.values()) {
            if (s.has(p.scheme()) && !layers.containsKey(p.scheme())) {
                ConfigNode section = s.section(p.scheme());
                p.configure(socket, section);
                section.warning("no listen entry is " + p.scheme() + ":HOST:PORT, so these settings are not used");
            }
        }
        layers.values().removeIf(java.util.Objects::isNull);
        return Map.copyOf(layers);
    }

    /**
     * {@code discard-ips} and each module's {@code discard-<key>} list of a socket; a command-line
     * list replaces the socket's own.
     */
    private SocketDiscards readDiscards(ConfigNode s, List<HeptapModule> modules) {
        List<String> ipValues = s.strings("discard-ips");
        if (overrides.discardIps() != null) ipValues = overrides.discardIps();
        IpPrefixList ips = IpPrefixList.EMPTY;
        try {
            ips = IpPrefixList.parse(ipValues);
        } catch (IpPrefixList.InvalidPrefixException e) {
            (s.has("discard-ips") && overrides.discardIps() == null ? s.child("discard-ips") : s)
                    .error((overrides.discardIps() != null ? "--discard-ips: " : "") + e.getMessage());
        }
        List<SocketDiscards.Rule> rules = new ArrayList<>();
        for (HeptapModule m : modules) {
            for (DiscardList list : m.discardLists()) {
                String key = "discard-" + list.key();
                List<String> values = s.strings(key);
                List<String> given = overrides.discardLists().get(list.key());
                if (given != null) values = given;
                if (values.stream().allMatch(String::isBlank)) continue;
                ConfigNode where = s.has(key) && given == null ? s.child(key) : s;
                rules.add(new SocketDiscards.Rule(list.counter(), list.compile(values, where)));
            }
        }
        if (ips.isEmpty() && rules.isEmpty()) return SocketDiscards.NONE;
        return new SocketDiscards(ips, List.copyOf(rules));
    }

    private List<SocketSettings> readSockets(ConfigNode section, AgentSettings agent, List<HeptapModule> modules) {
        List<SocketSettings> out = new ArrayList<>();
        for (Map.Entry<String, ConfigNode> e : section.children().entrySet()) {
            ConfigNode s = e.getValue();
            if (!s.isMapping()) {
                s.error("must be a mapping (device, port-range, capture-plan, ...)");
                continue;
            }
            if (!s.bool("enabled", true)) {
                s.children(); // a disabled socket may hold anything
                continue;
            }
            String type = s.oneOf("type", "pcap", "pcap", "collector");
            if (type.equals("collector")) {
                SocketSettings c = readCollector(e.getKey(), s, agent, modules);
                if (c != null) out.add(c);
                continue;
            }
            String device = s.string("device", "any");
            boolean promisc = s.bool("promisc", true);
            int snaplen = (int) s.integer("snaplen", 65535, 64, 262144);
            long buffer = s.size("buffer-size", 64L << 20);
            boolean immediate = s.bool("immediate", false);
            Duration timeout = s.duration("read-timeout", Duration.ofMillis(100));
            // without a module that names its ports, a socket watches every port
            String portText = s.string("port-range", defaults.getOrDefault(ConfigDefault.PORT_RANGE, ALL_PORTS));
            List<PortRange> ports = PortRange.parseList(portText);
            if (ports == null) {
                s.child("port-range").error(portText + " is not a port range (e.g. 8000-8090 or 8000,8080-8090)");
                ports = PortRange.parseList(ALL_PORTS);
            }
            String proto = s.oneOf("transport", "all", "udp", "tcp", "all");
            String filter = s.string("filter", "");
            List<CaptureFilterClause> clauses = filterClauses(s, modules);
            DecodeOptions decode = readDecodeOptions(s);
            TcpOptions tcp = readTcpOptions(s);
            SocketDiscards discards = readDiscards(s, modules);
            ConfigNode planNode = s.child("capture-plan");
            String planName = s.string("capture-plan", null);
            if (planName == null) {
                s.error("capture-plan is required (a file in " + agent.capturePlans() + ")");
                planName = "";
            }
            s.finish();
            if (overrides.device() != null) device = overrides.device();
            if (overrides.ports() != null) ports = overrides.ports();
            Path plan = agent.capturePlans().resolve(planName).normalize();
            String shown = plan.startsWith(base)
                    ? shownBase.resolve(base.relativize(plan)).normalize().toString()
                    : plan.toString();
            out.add(new SocketSettings(
                    e.getKey(),
                    device,
                    promisc,
                    snaplen,
                    buffer,
                    immediate,
                    timeout,
                    ports,
                    proto,
                    filter,
                    plan,
                    shown,
                    s.file(),
                    planNode != null ? planNode.line() : s.line(),
                    clauses,
                    decode,
                    tcp,
                    null, // a capture socket: no listening side
                    discards));
        }
        if (out.isEmpty() && !section.problems().hasErrors()) {
            section.error("no capture socket is configured");
        }
        return out;
    }

    /** The filter clauses of the modules whose key this socket turned on ({@code KEY: true}). */
    private static List<CaptureFilterClause> filterClauses(ConfigNode s, List<HeptapModule> modules) {
        List<CaptureFilterClause> out = new ArrayList<>();
        for (HeptapModule m : modules) {
            for (CaptureFilterClause c : m.captureFilterClauses()) {
                if (s.bool(c.socketKey(), false)) out.add(c);
            }
        }
        return out;
    }
}
