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
import org.heptap.core.plan.functions.CorePlanFunctions;
import org.heptap.core.plan.FunctionRegistry;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.HeptapModule;
import org.heptap.core.spi.Transport;
import org.heptap.core.spi.TransportProvider;
import org.heptap.core.transport.ConsoleTransportProvider;

/**
 * Reads and validates {@code heptap.yaml}: every wrong value and unknown key becomes a
 * {@code file:line: key: problem} entry, and all of them are reported, not only the first.
 * Modules are discovered with {@link ServiceLoader}, fresh for every load so a reload starts clean.
 */
public final class ConfigLoader {
    private static final Set<String> ROOT_KEYS = Set.of("agent", "sockets", "transports", "modules");

    private final boolean offline;
    private final boolean forceConsole;
    private final Overrides overrides;
    private Path base = Path.of("");
    private Path shownBase = Path.of("");

    /** Command-line values that replace what the YAML says, for every socket. */
    public record Overrides(String device, List<PortRange> ports) {
        public static final Overrides NONE = new Overrides(null, null);
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
        this.shownBase = shownBase;
        this.base = base;
        AgentSettings agent = readAgent(root.section("agent"), base);
        AgentContext context = new AgentContext(agent.nodeId(), agent.nodeName(), offline);

        List<HeptapModule> modules = loadModules(root.section("modules"), context);
        FunctionRegistry functions = new FunctionRegistry();
        functions.registerAll(CorePlanFunctions.all());
        for (HeptapModule m : modules) functions.registerAll(m.functions());

        Map<String, TransportProvider> providers = new LinkedHashMap<>();
        ConsoleTransportProvider console = new ConsoleTransportProvider(forceConsole);
        providers.put(console.type(), console);
        for (HeptapModule m : modules) {
            for (TransportProvider p : m.transports()) providers.put(p.type(), p);
        }
        Map<String, Transport> transports = readTransports(root.section("transports"), providers, context);
        List<SocketSettings> sockets = readSockets(root.section("sockets"), agent);
        root.finish(ROOT_KEYS);
        if (problems.hasErrors()) return null;
        return new AgentConfig(root.file(), agent, context, sockets, transports, modules, functions);
    }

    private AgentSettings readAgent(ConfigNode n, Path base) {
        long nodeId = n.integer("node-id", 2001, 0, 0xFFFFFFFFL);
        String nodeName = n.string("node-name", "");
        String level = n.oneOf("log-level", "info", "error", "warning", "info", "debug");
        String plans = n.string("capture-plans", "captureplans");
        n.finish();
        Path planDir = base.resolve(plans).normalize();
        return new AgentSettings(nodeId, nodeName, level, planDir);
    }

    /**
     * The functions of every module, each configured with defaults: what a plan can call when no
     * configuration is at hand ({@code --check-plan} on its own).
     */
    public static FunctionRegistry defaultFunctions(Problems problems) {
        ConfigNode none = ConfigNode.empty("(defaults)", problems);
        List<HeptapModule> modules = new ConfigLoader(true, false, Overrides.NONE).loadModules(none, new AgentContext(0, "", true));
        FunctionRegistry functions = new FunctionRegistry();
        functions.registerAll(CorePlanFunctions.all());
        for (HeptapModule m : modules) functions.registerAll(m.functions());
        return functions;
    }

    private List<HeptapModule> loadModules(ConfigNode section, AgentContext context) {
        List<HeptapModule> modules = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (HeptapModule m : ServiceLoader.load(HeptapModule.class)) {
            modules.add(m);
            names.add(m.name());
        }
        for (HeptapModule m : modules) {
            m.configure(section.section(m.name()), context);
        }
        section.finish(names);
        return modules;
    }

    private Map<String, Transport> readTransports(ConfigNode section, Map<String, TransportProvider> providers, AgentContext context) {
        Map<String, Transport> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : section.children().entrySet()) {
            ConfigNode profile = e.getValue();
            if (!profile.isMapping()) {
                profile.error("must be a mapping with at least 'type'");
                continue;
            }
            String type = profile.string("type", "hep");
            TransportProvider p = providers.get(type);
            if (p == null) {
                profile.child("type").error("no module provides transport type '" + type + "' (available: "
                        + String.join(", ", providers.keySet()) + ")" + Suggest.hint(type, providers.keySet()));
                profile.children();
                continue;
            }
            Transport t = p.create(e.getKey(), profile, context);
            if (t != null) out.put(e.getKey(), t);
        }
        return out;
    }

    private List<SocketSettings> readSockets(ConfigNode section, AgentSettings agent) {
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
            s.oneOf("type", "pcap", "pcap");
            String device = s.string("device", "any");
            boolean promisc = s.bool("promisc", true);
            int snaplen = (int) s.integer("snaplen", 65535, 64, 262144);
            long buffer = s.size("buffer-size", 32L << 20);
            boolean immediate = s.bool("immediate", true);
            Duration timeout = s.duration("read-timeout", Duration.ofMillis(100));
            String portText = s.string("port-range", "5060-5090");
            List<PortRange> ports = PortRange.parseList(portText);
            if (ports == null) {
                s.child("port-range").error(portText + " is not a port range (e.g. 5060-5090 or 5060,5080-5090)");
                ports = List.of(new PortRange(5060, 5090));
            }
            String proto = s.oneOf("transport", "udp", "udp", "tcp", "all");
            String filter = s.string("filter", "");
            boolean rtcpShape = s.bool("rtcp-filter", false);
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
            String shown = plan.startsWith(base) ? shownBase.resolve(base.relativize(plan)).normalize().toString() : plan.toString();
            out.add(new SocketSettings(e.getKey(), device, promisc, snaplen, buffer, immediate, timeout, ports, proto,
                    filter, plan, shown, s.file(), planNode != null ? planNode.line() : s.line(), rtcpShape));
        }
        if (out.isEmpty() && !section.problems().hasErrors()) {
            section.error("no capture socket is configured");
        }
        return out;
    }
}
