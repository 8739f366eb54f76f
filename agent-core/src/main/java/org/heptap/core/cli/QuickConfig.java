package org.heptap.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        StringBuilder y = new StringBuilder();
        y.append("agent:\n");
        y.append("  node-id: ").append(cl.captureId != null ? cl.captureId : 2001).append('\n');
        if (cl.nodeName != null) y.append("  node-name: ").append(quote(cl.nodeName)).append('\n');
        y.append("  capture-plans: .\n");
        y.append("sockets:\n");
        if (cl.rtcpxr != null) {
            y.append("  rtcpxr:\n    type: collector\n    listen:\n");
            for (String l : cl.rtcpxr.split(",")) y.append("      - ").append(quote(l.trim())).append('\n');
            y.append("    capture-plan: ").append(RTCPXR_PLAN).append('\n');
        }
        if (!cl.hin.isEmpty()) {
            y.append("  hin:\n    type: collector\n    format: hep\n    protocol-type: 1\n    listen:\n");
            for (String l : cl.hin) y.append("      - ").append(quote(l)).append('\n');
            if (cl.hinCert != null) {
                y.append("    tls:\n      cert: ").append(quote(cl.hinCert)).append("\n      key: ").append(quote(cl.hinKey)).append('\n');
                if (cl.hinClientCa != null) y.append("      client-ca: ").append(quote(cl.hinClientCa)).append('\n');
            }
            y.append("    capture-plan: ").append(HEP_RELAY_PLAN).append('\n');
        }
        // --rtcpxr or --hin alone (no -i, no -r) runs only the collector
        if ((cl.rtcpxr == null && cl.hin.isEmpty()) || cl.device != null || cl.readFile != null) captureSockets(cl, y);
        if (cl.rtcpNat) y.append("modules:\n  rtcp:\n    nat-matching: true\n");
        y.append("transports:\n  hepsocket:\n    type: hep\n");
        if (targets.size() == 1) {
            String[] t = split(targets.get(0));
            y.append("    proto: ").append(quote(t[0])).append('\n');
            y.append("    host: ").append(quote(t[1])).append('\n');
            y.append("    port: ").append(quote(t[2])).append('\n');
        } else {
            y.append("    mode: fanout\n    collectors:\n");
            for (String t : targets) y.append("      - ").append(quote(t)).append('\n');
        }
        if (cl.hepVersion != null) y.append("    version: ").append(cl.hepVersion).append('\n');
        if (cl.compress) y.append("    compress: true\n");
        if (cl.noBatch) y.append("    batch: false\n");
        if (cl.bufferDir != null) {
            y.append("    spool:\n      dir: ").append(quote(cl.bufferDir)).append('\n');
            if (cl.bufferMax != null) y.append("      max-size: ").append(quote(cl.bufferMax)).append('\n');
        }
        if (cl.tlsCa != null || cl.tlsCert != null || cl.tlsKey != null || cl.tlsInsecure) {
            y.append("    tls:\n");
            if (cl.tlsCa != null) y.append("      ca: ").append(quote(cl.tlsCa)).append('\n');
            if (cl.tlsCert != null) y.append("      cert: ").append(quote(cl.tlsCert)).append('\n');
            if (cl.tlsKey != null) y.append("      key: ").append(quote(cl.tlsKey)).append('\n');
            if (cl.tlsInsecure) y.append("      verify: false\n");
        }
        if (cl.password != null) y.append("    password: ").append(quote(cl.password)).append('\n');
        y.append("  console:\n    type: console\n    mode: ").append(cl.console ? "always" : "never").append('\n');
        return y.toString();
    }

    /** The SIP socket and, unless -m sip, the RTCP socket. */
    private static void captureSockets(CommandLine cl, StringBuilder y) {
        y.append("  sip:\n");
        y.append("    device: ").append(quote(cl.device != null ? cl.device : "any")).append('\n');
        y.append("    port-range: ").append(quote(cl.ports != null ? cl.ports : "5060-5090")).append('\n');
        y.append("    transport: all\n");
        if (cl.kernelBuffer != null) y.append("    buffer-size: ").append(quote(cl.kernelBuffer)).append('\n');
        if (cl.defrag != null) y.append("    defrag: ").append(cl.defrag).append('\n');
        if (cl.tcpReassembly != null) y.append("    tcp-reassembly: ").append(cl.tcpReassembly).append('\n');
        if (cl.decapsulation != null) y.append("    decapsulation: ").append(cl.decapsulation).append('\n');
        if (cl.dedup != null) y.append("    dedup: ").append(cl.dedup).append('\n');
        if (cl.discardIps != null) y.append("    discard-ips: ").append(quote(cl.discardIps)).append('\n');
        if (cl.discardMethods != null) y.append("    discard-methods: ").append(quote(cl.discardMethods)).append('\n');
        y.append("    capture-plan: ").append(PLAN).append('\n');
        if (cl.mode.equals("sip+rtcp")) {
            y.append("  rtcp:\n");
            y.append("    device: ").append(quote(cl.device != null ? cl.device : "any")).append('\n');
            y.append("    port-range: ").append(quote(RTCP_PORTS)).append('\n');
            y.append("    transport: udp\n");
            if (cl.kernelBuffer != null) y.append("    buffer-size: ").append(quote(cl.kernelBuffer)).append('\n');
            y.append("    rtcp-filter: true\n");
            if (cl.discardIps != null) y.append("    discard-ips: ").append(quote(cl.discardIps)).append('\n');
            y.append("    capture-plan: ").append(RTCP_PLAN).append('\n');
        }
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

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
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
