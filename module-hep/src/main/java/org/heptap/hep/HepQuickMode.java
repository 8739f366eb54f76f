package org.heptap.hep;

import static org.heptap.core.spi.QuickYaml.quote;
import static org.heptap.core.spi.QuickYaml.scalar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.heptap.core.spi.QuickModeContributor;
import org.heptap.core.spi.QuickOption;
import org.heptap.core.spi.QuickOptions;
import org.heptap.core.spi.QuickRun;
import org.heptap.core.spi.QuickYaml;

/**
 * Quick-flag runs send to a HEP collector: the {@code hepsocket} transport the built-in plans
 * send to ({@code -H}, default udp:127.0.0.1:9060, with its version, compression, TLS and spool),
 * and, with {@code --hin}, a relay socket receiving HEP from other agents.
 */
public final class HepQuickMode implements QuickModeContributor {
    /** The transport the built-in plans send to. */
    public static final String TRANSPORT = "hepsocket";

    static final String RELAY_PLAN = "quick_hep_relay_capture_plan.cfg";
    private static final String DEFAULT_TARGET = "udp:127.0.0.1:9060";
    private static final String DEFAULT_PORT = "9060";

    final List<String> hep = new ArrayList<>();
    String version;
    boolean compress;
    boolean noBatch;
    String tlsCa;
    String tlsCert;
    String tlsKey;
    boolean tlsInsecure;
    String bufferDir;
    String bufferMax;
    String password;
    final List<String> hin = new ArrayList<>();
    String hinCert;
    String hinKey;
    String hinClientCa;

    @Override
    public List<QuickOption> options() {
        return List.of(
                QuickOptions.list(
                        "-H --hep",
                        "PROTO:HOST:PORT",
                        ",",
                        "1",
                        "HEP collector (udp:, tcp: or tls:), default udp:127.0.0.1:9060; repeat it or separate with commas "
                                + "to send to several (fan-out)",
                        hep),
                QuickOptions.value(
                        "--hep-version", "1|2|3", "HEP version (default 3; tcp and tls need 3)", v -> version = v),
                QuickOptions.flag("--compress", "compress HEP3 payloads (chunk 0x0010)", () -> compress = true),
                QuickOptions.flag(
                        "--no-batch",
                        "UDP: flush every datagram instead of one sendmmsg per batch",
                        () -> noBatch = true),
                QuickOptions.value(
                        "--tls-ca",
                        "FILE",
                        "trust the CA certificates in FILE (PEM) instead of the system's",
                        v -> tlsCa = v),
                QuickOptions.value(
                        "--tls-cert",
                        "FILE",
                        "client certificate (PEM) for mutual TLS, with --tls-key",
                        v -> tlsCert = v),
                QuickOptions.value("--tls-key", "FILE", "the client certificate's PKCS#8 key (PEM)", v -> tlsKey = v),
                QuickOptions.flag(
                        "--tls-insecure",
                        "do not verify the collector's certificate (warned at start)",
                        () -> tlsInsecure = true),
                QuickOptions.value(
                        "--buffer-dir",
                        "DIR",
                        "spool to DIR while a tcp/tls collector is unreachable",
                        v -> bufferDir = v),
                QuickOptions.value("--buffer-max", "SIZE", "largest spool (default 100MB)", v -> bufferMax = v),
                QuickOptions.value("--password", "S", "HEP authentication key", v -> password = v),
                QuickOptions.list(
                        "--hin",
                        "udp:HOST:PORT",
                        ",",
                        "1",
                        "relay HEP: receive HEP v1/v2/v3 (compressed or not) from other agents on HOST:PORT (tcp:HOST:PORT: "
                                + "HEP3 over TCP; tls:HOST:PORT: over TLS, with --hin-cert and --hin-key; repeat or comma-separate for "
                                + "more) and send every packet on to -H unchanged. Alone (without -i) it runs only the relay",
                        hin),
                QuickOptions.value(
                        "--hin-cert", "FILE", "--hin tls: the relay's certificate chain (PEM)", v -> hinCert = v),
                QuickOptions.value("--hin-key", "FILE", "--hin tls: the relay's PKCS#8 key (PEM)", v -> hinKey = v),
                QuickOptions.value(
                        "--hin-client-ca",
                        "FILE",
                        "--hin tls, mutual TLS: senders must show a " + "certificate from these CAs",
                        v -> hinClientCa = v));
    }

    /** The relay socket and the transport after the capture modules' sockets. */
    @Override
    public int rank() {
        return 30;
    }

    @Override
    public boolean asksForQuickRun() {
        return !hep.isEmpty()
                || version != null
                || compress
                || noBatch
                || tlsCa != null
                || tlsCert != null
                || tlsKey != null
                || tlsInsecure
                || bufferDir != null
                || password != null
                || !hin().isEmpty();
    }

    @Override
    public boolean runsAlone() {
        return !hin().isEmpty();
    }

    @Override
    public String misuse(QuickRun run) {
        if (version != null && !version.matches("[123]")) return "--hep-version must be 1, 2 or 3, not " + version;
        boolean hinTls = hin().stream().anyMatch(l -> l.startsWith("tls:"));
        if (hinTls && (hinCert == null || hinKey == null)) {
            return "--hin tls:HOST:PORT needs --hin-cert FILE and --hin-key FILE (the relay's certificate and key, PEM)";
        }
        if (!hinTls && (hinCert != null || hinKey != null || hinClientCa != null)) {
            return "--hin-cert, --hin-key and --hin-client-ca are for --hin tls:HOST:PORT";
        }
        return null;
    }

    @Override
    public List<String> plans() {
        return List.of(RELAY_PLAN);
    }

    @Override
    public Map<String, String> flagsOfKeys() {
        String t = "transports." + TRANSPORT + ".";
        return Map.ofEntries(
                Map.entry("sockets.hin.listen", "--hin"),
                Map.entry("sockets.hin.tls", "--hin-cert/--hin-key"),
                Map.entry("sockets.hin.tls.cert", "--hin-cert"),
                Map.entry("sockets.hin.tls.key", "--hin-key"),
                Map.entry("sockets.hin.tls.client-ca", "--hin-client-ca"),
                Map.entry(t + "proto", "-H"),
                Map.entry(t + "host", "-H"),
                Map.entry(t + "port", "-H"),
                Map.entry(t + "collectors", "-H"),
                Map.entry(t + "version", "--hep-version"),
                Map.entry(t + "password", "--password"),
                Map.entry(t + "spool.dir", "--buffer-dir"),
                Map.entry(t + "spool.max-size", "--buffer-max"),
                Map.entry(t + "tls", "--tls-ca/--tls-cert/--tls-key"),
                Map.entry(t + "tls.ca", "--tls-ca"),
                Map.entry(t + "tls.cert", "--tls-cert"),
                Map.entry(t + "tls.key", "--tls-key"));
    }

    @Override
    public void contribute(QuickRun run, QuickYaml yaml) {
        if (!hin().isEmpty()) relaySocket(yaml.collectorSockets());
        transport(yaml.transports());
    }

    private List<String> hin() {
        return hin.stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    private void relaySocket(StringBuilder y) {
        y.append("  hin:\n    type: collector\n    format: hep\n    protocol-type: 1\n    listen:\n");
        for (String l : hin()) y.append("      - ").append(quote(l)).append('\n');
        if (hinCert != null) {
            y.append("    tls:\n");
            scalar(y, "      cert", hinCert);
            scalar(y, "      key", hinKey);
            scalar(y, "      client-ca", hinClientCa);
        }
        y.append("    capture-plan: ").append(RELAY_PLAN).append('\n');
    }

    private void transport(StringBuilder y) {
        List<String> targets =
                hep.stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
        if (targets.isEmpty()) targets = List.of(DEFAULT_TARGET);
        y.append("  ").append(TRANSPORT).append(":\n    type: hep\n");
        if (targets.size() == 1) {
            String[] t = split(targets.get(0));
            scalar(y, "    proto", t[0]);
            scalar(y, "    host", t[1]);
            scalar(y, "    port", t[2]);
        } else {
            y.append("    mode: fanout\n    collectors:\n");
            for (String t : targets) y.append("      - ").append(quote(t)).append('\n');
        }
        if (version != null) y.append("    version: ").append(version).append('\n');
        if (compress) y.append("    compress: true\n");
        if (noBatch) y.append("    batch: false\n");
        if (bufferDir != null) {
            y.append("    spool:\n");
            scalar(y, "      dir", bufferDir);
            scalar(y, "      max-size", bufferMax);
        }
        if (tlsCa != null || tlsCert != null || tlsKey != null || tlsInsecure) {
            y.append("    tls:\n");
            scalar(y, "      ca", tlsCa);
            scalar(y, "      cert", tlsCert);
            scalar(y, "      key", tlsKey);
            if (tlsInsecure) y.append("      verify: false\n");
        }
        scalar(y, "    password", password);
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
            port = after.startsWith(":") ? after.substring(1) : DEFAULT_PORT;
        } else {
            int last = rest.lastIndexOf(':');
            host = last < 0 ? rest : rest.substring(0, last);
            port = last < 0 ? DEFAULT_PORT : rest.substring(last + 1);
        }
        return new String[] {proto, host, port};
    }
}
