package org.heptap.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heptap.core.config.YamlWriter;

/**
 * The configuration a quick-flag run uses (heplify style: {@code -i lo -H udp:host:9060}), written
 * as YAML and read by the same loader as a file, so flags and files are validated alike.
 */
final class QuickConfig {
    static final String PLAN = "quick_sip_capture_plan.cfg";
    static final String RTCP_PLAN = "quick_rtcp_capture_plan.cfg";
    static final String RTCPXR_PLAN = "quick_rtcpxr_capture_plan.cfg";
    static final String HEP_RELAY_PLAN = "quick_hep_relay_capture_plan.cfg";
    /** RTCP ports come from SDP: the RTCP socket looks at every unprivileged UDP port. */
    static final String RTCP_PORTS = "1024-65535";
    /** How the built configuration is named in problems before {@link #asFlags} renames them. */
    static final String SOURCE = "(command line)";
    private static Path planDir;

    /** The flag behind each key the built configuration sets, to name it in messages. */
    private static final Map<String, String> FLAG_OF_KEY = Map.ofEntries(
            Map.entry("agent.node-id", "--capture-id"),
            Map.entry("agent.node-name", "--node-name"),
            Map.entry("sockets.sip.device", "-i"),
            Map.entry("sockets.rtcp.device", "-i"),
            Map.entry("sockets.sip.port-range", "-p"),
            Map.entry("sockets.sip.buffer-size", "-b"),
            Map.entry("sockets.rtcp.buffer-size", "-b"),
            Map.entry("sockets.sip.discard-ips", "--discard-ips"),
            Map.entry("sockets.rtcp.discard-ips", "--discard-ips"),
            Map.entry("sockets.sip.discard-methods", "--discard-methods"),
            Map.entry("sockets.rtcpxr.listen", "--rtcpxr"),
            Map.entry("sockets.hin.listen", "--hin"),
            Map.entry("sockets.hin.tls", "--hin-cert/--hin-key"),
            Map.entry("sockets.hin.tls.cert", "--hin-cert"),
            Map.entry("sockets.hin.tls.key", "--hin-key"),
            Map.entry("sockets.hin.tls.client-ca", "--hin-client-ca"),
            Map.entry("transports.hepsocket.proto", "-H"),
            Map.entry("transports.hepsocket.host", "-H"),
            Map.entry("transports.hepsocket.port", "-H"),
            Map.entry("transports.hepsocket.collectors", "-H"),
            Map.entry("transports.hepsocket.version", "--hep-version"),
            Map.entry("transports.hepsocket.password", "--password"),
            Map.entry("transports.hepsocket.spool.dir", "--buffer-dir"),
            Map.entry("transports.hepsocket.spool.max-size", "--buffer-max"),
            Map.entry("transports.hepsocket.tls", "--tls-ca/--tls-cert/--tls-key"),
            Map.entry("transports.hepsocket.tls.ca", "--tls-ca"),
            Map.entry("transports.hepsocket.tls.cert", "--tls-cert"),
            Map.entry("transports.hepsocket.tls.key", "--tls-key"));
    private static final Pattern KEY_PROBLEM = Pattern.compile(Pattern.quote(SOURCE) + ":\\d+: (warning: )?([^ :]+?)(\\[\\d+\\])?: (.*)", Pattern.DOTALL);

    private QuickConfig() {}

    /**
     * A problem of the built configuration as the operator can act on it: {@code --tls-key: FILE:
     * problem} instead of {@code (command line):23: transports.hepsocket.tls.key: FILE: problem},
     * a YAML line and key they never wrote. Problems of keys no flag sets stay as they are.
     */
    static String asFlags(String problem) {
        Matcher m = KEY_PROBLEM.matcher(problem);
        if (!m.matches()) return problem;
        String flag = FLAG_OF_KEY.get(m.group(2));
        if (flag == null) return problem;
        return flag + ": " + (m.group(1) != null ? m.group(1) : "") + m.group(4);
    }

    static String yaml(CommandLine cl) {
        List<String> targets = cl.hep.isEmpty() ? List.of("udp:127.0.0.1:9060") : cl.hep;
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> agent = child(root, "agent");
        agent.put("node-id", cl.captureId != null ? cl.captureId : 2001L);
        putIfSet(agent, "node-name", cl.nodeName);
        agent.put("capture-plans", ".");
        Map<String, Object> sockets = child(root, "sockets");
        if (cl.rtcpxr != null) {
            Map<String, Object> x = child(sockets, "rtcpxr");
            x.put("type", "collector");
            x.put("listen", Arrays.stream(cl.rtcpxr.split(",")).map(String::trim).toList());
            x.put("capture-plan", RTCPXR_PLAN);
        }
        if (!cl.hin.isEmpty()) {
            Map<String, Object> hin = child(sockets, "hin");
            hin.put("type", "collector");
            hin.put("format", "hep");
            hin.put("protocol-type", 1);
            hin.put("listen", List.copyOf(cl.hin));
            if (cl.hinCert != null) {
                Map<String, Object> tls = child(hin, "tls");
                tls.put("cert", cl.hinCert);
                tls.put("key", cl.hinKey);
                putIfSet(tls, "client-ca", cl.hinClientCa);
            }
            hin.put("capture-plan", HEP_RELAY_PLAN);
        }
        // --rtcpxr or --hin alone (no -i, no -r) runs only the collector
        if ((cl.rtcpxr == null && cl.hin.isEmpty()) || cl.device != null || cl.readFile != null) captureSockets(cl, sockets);
        if (cl.rtcpNat) child(child(root, "modules"), "rtcp").put("nat-matching", true);
        Map<String, Object> hep = child(child(root, "transports"), "hepsocket");
        hep.put("type", "hep");
        if (targets.size() == 1) {
            String[] t = split(targets.get(0));
            hep.put("proto", t[0]);
            hep.put("host", t[1]);
            hep.put("port", t[2]);
        } else {
            hep.put("mode", "fanout");
            hep.put("collectors", List.copyOf(targets));
        }
        if (cl.hepVersion != null) hep.put("version", Integer.parseInt(cl.hepVersion)); // checked: 1, 2 or 3
        if (cl.compress) hep.put("compress", true);
        if (cl.noBatch) hep.put("batch", false);
        if (cl.bufferDir != null) {
            Map<String, Object> spool = child(hep, "spool");
            spool.put("dir", cl.bufferDir);
            putIfSet(spool, "max-size", cl.bufferMax);
        }
        if (cl.tlsCa != null || cl.tlsCert != null || cl.tlsKey != null || cl.tlsInsecure) {
            Map<String, Object> tls = child(hep, "tls");
            putIfSet(tls, "ca", cl.tlsCa);
            putIfSet(tls, "cert", cl.tlsCert);
            putIfSet(tls, "key", cl.tlsKey);
            if (cl.tlsInsecure) tls.put("verify", false);
        }
        putIfSet(hep, "password", cl.password);
        Map<String, Object> console = child(child(root, "transports"), "console");
        console.put("type", "console");
        console.put("mode", cl.console ? "always" : "never");
        return YamlWriter.write(root);
    }

    /** The SIP socket and, unless -m sip, the RTCP socket. */
    private static void captureSockets(CommandLine cl, Map<String, Object> sockets) {
        Map<String, Object> sip = child(sockets, "sip");
        sip.put("device", cl.device != null ? cl.device : "any");
        sip.put("port-range", cl.ports != null ? cl.ports : "5060-5090");
        sip.put("transport", "all");
        putIfSet(sip, "buffer-size", cl.kernelBuffer);
        putIfSet(sip, "defrag", cl.defrag);
        putIfSet(sip, "tcp-reassembly", cl.tcpReassembly);
        putIfSet(sip, "decapsulation", cl.decapsulation);
        putIfSet(sip, "dedup", cl.dedup);
        putIfSet(sip, "discard-ips", cl.discardIps);
        putIfSet(sip, "discard-methods", cl.discardMethods);
        sip.put("capture-plan", PLAN);
        if (cl.mode.equals("sip+rtcp")) {
            Map<String, Object> rtcp = child(sockets, "rtcp");
            rtcp.put("device", cl.device != null ? cl.device : "any");
            rtcp.put("port-range", RTCP_PORTS);
            rtcp.put("transport", "udp");
            putIfSet(rtcp, "buffer-size", cl.kernelBuffer);
            rtcp.put("rtcp-filter", true);
            putIfSet(rtcp, "discard-ips", cl.discardIps);
            rtcp.put("capture-plan", RTCP_PLAN);
        }
    }

    /** The mapping under {@code key}, made (after the keys already there) when missing. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }

    /** A flag's value, when it was given: the configuration's default holds otherwise. */
    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) map.put(key, value);
    }

    /** proto, host, port of one -H target ({@code tcp:host:port}, {@code host}, {@code udp:[::1]:9061}). */
    static String[] split(String target) {
        String proto = "udp";
        String rest = target;
        int colon = target.indexOf(':');
        if (colon > 0 && !target.startsWith("[")) {
            String p = target.substring(0, colon);
            if (p.equals("udp") || p.equals("tcp") || p.equals("tls")) {
                proto = p;
                rest = target.substring(colon + 1);
            }
        }
        String host;
        String port;
        if (rest.startsWith("[") && rest.contains("]")) {
            host = rest.substring(1, rest.indexOf(']'));
            String after = rest.substring(rest.indexOf(']') + 1);
            port = after.startsWith(":") ? after.substring(1) : "9060";
        } else {
            int last = rest.lastIndexOf(':');
            host = last < 0 ? rest : rest.substring(0, last);
            port = last < 0 ? "9060" : rest.substring(last + 1);
        }
        return new String[] {proto, host, port};
    }

    /** A folder holding the built-in plan (the stock SIP plan, also sending to the console). */
    static synchronized Path planDir() {
        if (planDir != null) return planDir;
        try {
            Path dir = Files.createTempDirectory("heptap-plan");
            dir.toFile().deleteOnExit();
            for (String name : new String[] {PLAN, RTCP_PLAN, RTCPXR_PLAN, HEP_RELAY_PLAN}) {
                try (InputStream in = QuickConfig.class.getResourceAsStream(name)) {
                    Path f = dir.resolve(name);
                    Files.write(f, in.readAllBytes());
                    f.toFile().deleteOnExit();
                }
            }
            planDir = dir;
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
