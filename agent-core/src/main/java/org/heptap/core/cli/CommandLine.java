package org.heptap.core.cli;

import java.util.ArrayList;
import java.util.List;

/** The parsed command line. Parsing reports the first misuse as {@link UsageException}. */
final class CommandLine {
    String config;
    boolean check;
    final List<String> checkPlans = new ArrayList<>();
    String readFile;
    String speed = "max";
    /** --loop N: replay the -r file N times; 0 = until stopped (like heplify's -lp). */
    long loop = 1;
    boolean loopGiven;
    /** --max-gap DURATION: the longest wait between two packets of a paced replay; 0 = none. */
    java.time.Duration maxGap = org.heptap.core.capture.ReplayPacer.DEFAULT_MAX_GAP;
    String device;
    String ports;
    /** -H targets in order; each may itself be a comma-separated list. */
    final List<String> hep = new ArrayList<>();
    String hepVersion;
    boolean compress;
    boolean noBatch;
    String tlsCa;
    String tlsCert;
    String tlsKey;
    boolean tlsInsecure;
    String bufferDir;
    String kernelBuffer;
    String bufferMax;
    Long captureId;
    String password;
    String nodeName;
    /** {@code sip+rtcp} (default: SIP and correlated RTCP, like heplify's SIPRTCP) or {@code sip}. */
    String mode = "sip+rtcp";
    boolean modeGiven;
    boolean rtcpNat;
    /** --rtcpxr udp:HOST:PORT[,tcp:HOST:PORT]: an RTCP-XR collector socket (RFC 6035 PUBLISH). */
    String rtcpxr;
    /** --hin udp:HOST:PORT[,tcp:HOST:PORT] (repeatable): a HEP relay collector socket. */
    final java.util.List<String> hin = new java.util.ArrayList<>();
    /** --hin-cert/--hin-key/--hin-client-ca: the TLS identity (and client CA) of --hin tls:HOST:PORT. */
    String hinCert;
    String hinKey;
    String hinClientCa;
    boolean console;
    Boolean defrag;
    Boolean tcpReassembly;
    Boolean decapsulation;
    Boolean dedup;
    /** --discard-ips LIST: addresses and CIDR prefixes dropped before the plan (every socket). */
    String discardIps;
    /** --discard-methods LIST: SIP methods dropped before the plan, with their responses. */
    String discardMethods;
    String logLevel;
    boolean help;
    /** The quick-flag configuration of this run: its plan folder is made once, and reloads reuse it. */
    final QuickConfig quick = new QuickConfig();
    boolean version;
    /** --control PATH: the control socket for heptapctl (beside control.socket). */
    String control;
    /** --metrics HOST:PORT: the Prometheus endpoint (beside metrics.listen). */
    String metrics;

    static final class UsageException extends Exception {
        UsageException(String message) { super(message); }
    }

    static CommandLine parse(String[] args) throws UsageException {
        CommandLine c = new CommandLine();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String inline = null;
            if (a.startsWith("--") && a.contains("=")) {
                inline = a.substring(a.indexOf('=') + 1);
                a = a.substring(0, a.indexOf('='));
            }
            switch (a) {
                case "--config", "-c" -> c.config = value(args, ++i, a, inline);
                case "--check" -> c.check = true;
                case "--check-plan" -> {
                    if (inline != null) c.checkPlans.add(inline);
                    while (i + 1 < args.length && !args[i + 1].startsWith("-")) c.checkPlans.add(args[++i]);
                    if (c.checkPlans.isEmpty()) throw new UsageException("--check-plan needs at least one plan file");
                }
                case "--read-file", "-r" -> c.readFile = value(args, ++i, a, inline);
                case "--speed" -> c.speed = value(args, ++i, a, inline);
                case "--max-gap" -> {
                    String v = value(args, ++i, a, inline);
                    c.maxGap = org.heptap.core.config.ConfigNode.parseDuration(v);
                    if (c.maxGap == null || c.maxGap.isNegative()) {
                        throw new UsageException("--max-gap " + v + ": not a duration (e.g. 1s, 500ms, 2m; 0 = no cap)");
                    }
                }
                case "--loop" -> {
                    String v = value(args, ++i, a, inline);
                    try {
                        c.loop = Long.parseLong(v);
                        if (c.loop < 0) throw new NumberFormatException();
                    } catch (NumberFormatException e) {
                        throw new UsageException("--loop " + v + ": give how many times to replay the file (0 = until stopped)");
                    }
                    c.loopGiven = true;
                }
                case "-i", "--interface" -> c.device = value(args, ++i, a, inline);
                case "-p", "--ports" -> c.ports = value(args, ++i, a, inline);
                case "-H", "--hep" -> {
                    for (String t : value(args, ++i, a, inline).split(",")) {
                        if (!t.isBlank()) c.hep.add(t.trim());
                    }
                }
                case "--hep-version" -> {
                    c.hepVersion = value(args, ++i, a, inline);
                    if (!c.hepVersion.matches("[123]")) throw new UsageException("--hep-version must be 1, 2 or 3, not " + c.hepVersion);
                }
                case "--compress" -> c.compress = true;
                case "--no-batch" -> c.noBatch = true;
                case "--tls-ca" -> c.tlsCa = value(args, ++i, a, inline);
                case "--tls-cert" -> c.tlsCert = value(args, ++i, a, inline);
                case "--tls-key" -> c.tlsKey = value(args, ++i, a, inline);
                case "--tls-insecure" -> c.tlsInsecure = true;
                case "--buffer-dir" -> c.bufferDir = value(args, ++i, a, inline);
                case "-b", "--kernel-buffer" -> {
                    String v = value(args, ++i, a, inline);
                    // heplify's -b is a number of MB; sizes with a unit are taken as they are
                    c.kernelBuffer = v.matches("\\d+") ? v + "MB" : v;
                }
                case "--buffer-max" -> c.bufferMax = value(args, ++i, a, inline);
                case "--capture-id" -> {
                    String v = value(args, ++i, a, inline);
                    try {
                        long n = Long.parseLong(v);
                        if (n < 0 || n > 0xFFFFFFFFL) throw new NumberFormatException();
                        c.captureId = n;
                    } catch (NumberFormatException e) {
                        throw new UsageException("--capture-id " + v + " is not a number (0-4294967295)");
                    }
                }
                case "--password" -> c.password = value(args, ++i, a, inline);
                case "--node-name" -> c.nodeName = value(args, ++i, a, inline);
                case "-m", "--mode" -> {
                    c.mode = value(args, ++i, a, inline);
                    c.modeGiven = true;
                    if (c.mode.equalsIgnoreCase("siprtcp") || c.mode.equalsIgnoreCase("sip+rtcp")) c.mode = "sip+rtcp";
                    if (!c.mode.equals("sip") && !c.mode.equals("sip+rtcp")) {
                        throw new UsageException("-m " + c.mode + ": use 'sip' (SIP only) or 'sip+rtcp' (default: SIP and RTCP)");
                    }
                }
                case "--rtcp-nat" -> c.rtcpNat = true;
                case "--rtcpxr" -> c.rtcpxr = value(args, ++i, a, inline);
                case "--hin" -> {
                    for (String l : value(args, ++i, a, inline).split(",")) {
                        if (!l.isBlank()) c.hin.add(l.trim());
                    }
                }
                case "--hin-cert" -> c.hinCert = value(args, ++i, a, inline);
                case "--hin-key" -> c.hinKey = value(args, ++i, a, inline);
                case "--hin-client-ca" -> c.hinClientCa = value(args, ++i, a, inline);
                case "--console" -> c.console = true;
                case "--no-defrag" -> c.defrag = false;
                case "--no-tcp" -> c.tcpReassembly = false;
                case "--no-decap" -> c.decapsulation = false;
                case "--dedup" -> c.dedup = true;
                case "--discard-ips" -> c.discardIps = value(args, ++i, a, inline);
                case "--discard-methods" -> c.discardMethods = value(args, ++i, a, inline);
                case "--log-level", "-l" -> c.logLevel = value(args, ++i, a, inline);
                case "--control" -> c.control = value(args, ++i, a, inline);
                case "--metrics" -> c.metrics = value(args, ++i, a, inline);
                case "--help", "-h" -> c.help = true;
                case "--version", "-V" -> c.version = true;
                default -> throw new UsageException("unknown option " + args[i] + " (see --help)");
            }
        }
        if (c.loopGiven && c.readFile == null) throw new UsageException("--loop replays a capture file: it needs -r FILE");
        boolean hinTls = c.hin.stream().anyMatch(l -> l.startsWith("tls:"));
        if (hinTls && (c.hinCert == null || c.hinKey == null)) {
            throw new UsageException("--hin tls:HOST:PORT needs --hin-cert FILE and --hin-key FILE (the relay's certificate and key, PEM)");
        }
        if (!hinTls && (c.hinCert != null || c.hinKey != null || c.hinClientCa != null)) {
            throw new UsageException("--hin-cert, --hin-key and --hin-client-ca are for --hin tls:HOST:PORT");
        }
        return c;
    }

    private static String value(String[] args, int i, String option, String inline) throws UsageException {
        if (inline != null) return inline;
        if (i >= args.length) throw new UsageException(option + " needs a value");
        return args[i];
    }

    /** True when a quick flag asks for a run without a config file. */
    boolean quickFlags() {
        return !hep.isEmpty() || captureId != null || password != null || nodeName != null || hepVersion != null || compress
                || noBatch || tlsCa != null || tlsCert != null || tlsKey != null || tlsInsecure || bufferDir != null
                || modeGiven || rtcpNat || rtcpxr != null || !hin.isEmpty();
    }

    static final String HELP = """
            heptap — SIP and RTCP capture agent that speaks HEP

            Usage:
              heptap [--config FILE] [-r FILE.pcap [--speed max|real|FACTOR] [--max-gap D] [--loop N]]
              heptap --config FILE --check
              heptap --check-plan PLAN.cfg...
              heptap -i DEV|-r FILE [-p PORTS] [-H udp|tcp|tls:HOST:PORT]... [--capture-id N] [--password S] [--node-name S]

            Running:
              --config FILE, -c FILE   run as the YAML file says (default: the bundled conf/heptap.yaml)
              -r FILE, --read-file FILE
                                       read a capture file (pcap, nanosecond pcap, pcapng) through the
                                       configured sockets instead of capturing live; every socket sees
                                       each packet once, in capture order; exits 0 when all is sent
                                       (exit codes: see README.md)
              --speed max|real|FACTOR  file replay pace: as fast as possible (default), at recorded
                                       speed, or FACTOR times recorded speed (2 = twice as fast)
              --max-gap DURATION       paced replay: wait at most this long between two packets
                                       (default 1s; 0 = as recorded, however long); logged once
              --loop N                 replay the file N times (0 = until stopped; default 1)
              --console                print what plans send to the console transport even when
                                       stdout is not a terminal
              --log-level LEVEL        error, warning, info (default) or debug
              --no-defrag              do not reassemble IP fragments (every socket)
              --no-tcp                 do not reassemble TCP streams: each segment is one message
              --no-decap               do not decode packets inside IP-in-IP, GRE/ERSPAN, VXLAN, HP ERM
              --dedup                  drop a packet identical to one seen within 2 s (SPAN copies)
              --discard-ips LIST       drop packets from or to these addresses or CIDR prefixes, v4 or
                                       v6 (e.g. 10.0.0.1,192.0.2.0/24); replaces sockets' discard-ips
              --discard-methods LIST   drop SIP requests with these methods and their responses
                                       (e.g. OPTIONS,NOTIFY); replaces sockets' discard-methods
              --control PATH           control socket for heptapctl (default /run/heptap/heptap.sock;
                                       off when its folder does not exist)
              --metrics HOST:PORT      serve Prometheus metrics at http://HOST:PORT/metrics

            Checking:
              --check                  validate the config and every capture plan it names; prints
                                       each problem as file:line[:col]: message; exit 0 or 1
              --check-plan PLAN...     check capture plans alone (syntax, functions, arity)

            Quick flags (no config file; like heplify):
              -i DEV                   capture on DEV ('any' for all interfaces)
              -p PORTS                 SIP port range(s), default 5060-5090 (e.g. 5060,5080-5090)
              -b SIZE                  kernel capture buffer per socket, MB or with a unit (default 64MB)
              -H PROTO:HOST:PORT       HEP collector (udp:, tcp: or tls:), default udp:127.0.0.1:9060;
                                       repeat it or separate with commas to send to several (fan-out)
              --hep-version 1|2|3      HEP version (default 3; tcp and tls need 3)
              --compress               compress HEP3 payloads (chunk 0x0010)
              --no-batch               UDP: flush every datagram instead of one sendmmsg per batch
              --tls-ca FILE            trust the CA certificates in FILE (PEM) instead of the system's
              --tls-cert FILE --tls-key FILE
                                       client certificate and PKCS#8 key (PEM) for mutual TLS
              --tls-insecure           do not verify the collector's certificate (warned at start)
              --buffer-dir DIR         spool to DIR while a tcp/tls collector is unreachable
              --buffer-max SIZE        largest spool (default 100MB)
              --capture-id N           HEP capture id (default 2001)
              --password S             HEP authentication key
              --node-name S            HEP node name
              -m sip|sip+rtcp          capture SIP only, or SIP and RTCP (default): RTCP of calls whose
                                       SDP was seen goes to the collector as HEP type 5 JSON with the
                                       Call-ID as correlation id
              --rtcp-nat               correlate RTCP behind NAT: match on port when the SDP address
                                       is private, then follow the stream by SSRC
                                       (modules.rtcp.nat-matching in YAML)
              --rtcpxr udp:HOST:PORT   also run an RTCP-XR collector: phones PUBLISH RFC 6035 quality
                                       reports to HOST:PORT (tcp:HOST:PORT too; comma-separated for
                                       both); each PUBLISH goes to -H as SIP and as report JSON
                                       (HEP type 99) and is answered 200 OK. Alone (without -i) it
                                       runs only the collector; with -r it is not used (live only)
              --hin udp:HOST:PORT      relay HEP: receive HEP v1/v2/v3 (compressed or not) from other
                                       agents on HOST:PORT (tcp:HOST:PORT: HEP3 over TCP; repeat or
                                       comma-separate for more) and send every packet on to -H
                                       unchanged. Alone (without -i) it runs only the relay.
                                       tls:HOST:PORT: HEP3 over TLS, which needs:
              --hin-cert FILE --hin-key FILE
                                       the relay's certificate chain and its PKCS#8 key (PEM)
              --hin-client-ca FILE     mutual TLS: senders must show a certificate from these CAs
              With --config, -i and -p override every socket's device and port range.

              --help, --version
            """;
}
