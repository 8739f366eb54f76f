package org.heptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class CommandLineTest {
    /** The quick configuration as the YAML loader reads it back. */
    private static Map<String, Object> quickConfig(CommandLine c) {
        return new Yaml().load(QuickConfig.yaml(c));
    }

    /** The value at a dotted path ({@code transports.hepsocket.host}), or null. */
    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> tree, String path) {
        Object v = tree;
        for (String key : path.split("\\.")) {
            if (!(v instanceof Map)) return null;
            v = ((Map<String, Object>) v).get(key);
        }
        return v;
    }

    @Test
    void check_plan_takes_every_following_file() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"--check-plan", "a.cfg", "b.cfg", "--log-level", "debug"});
        assertEquals(List.of("a.cfg", "b.cfg"), c.checkPlans);
        assertEquals("debug", c.logLevel);
    }

    @Test
    void quick_flags() throws Exception {
        CommandLine c = CommandLine.parse(
                new String[] {"-r", "x.pcap", "-H", "udp:127.0.0.1:9999", "--capture-id", "7", "--password=pw"});
        assertTrue(c.quickFlags());
        assertEquals("x.pcap", c.readFile);
        assertEquals(7L, c.captureId);
        Map<String, Object> y = quickConfig(c);
        assertEquals("127.0.0.1", at(y, "transports.hepsocket.host"));
        assertEquals("9999", at(y, "transports.hepsocket.port"));
        assertEquals(7, at(y, "agent.node-id"));
        assertEquals("pw", at(y, "transports.hepsocket.password"));
    }

    @Test
    void discard_lists_reach_the_quick_config_sockets() throws Exception {
        CommandLine c = CommandLine.parse(
                new String[] {"-i", "lo", "--discard-methods", "OPTIONS,NOTIFY", "--discard-ips=10.0.0.1,192.0.2.0/24"
                });
        assertEquals("OPTIONS,NOTIFY", c.discardMethods);
        assertEquals("10.0.0.1,192.0.2.0/24", c.discardIps);
        Map<String, Object> y = quickConfig(c);
        assertEquals("OPTIONS,NOTIFY", at(y, "sockets.sip.discard-methods"));
        assertEquals(null, at(y, "sockets.rtcp.discard-methods"));
        // addresses apply to every socket (RTCP of a discarded host too); methods only where SIP is
        assertEquals("10.0.0.1,192.0.2.0/24", at(y, "sockets.sip.discard-ips"));
        assertEquals("10.0.0.1,192.0.2.0/24", at(y, "sockets.rtcp.discard-ips"));
    }

    @Test
    void ipv6_collector_in_brackets() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"-H", "udp:[::1]:9061"});
        Map<String, Object> y = quickConfig(c);
        assertEquals("::1", at(y, "transports.hepsocket.host"));
        assertEquals("9061", at(y, "transports.hepsocket.port"));
    }

    @Test
    void several_targets_fan_out_with_stream_and_tls_settings() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {
            "-H",
            "tcp:127.0.0.1:9001,tls:[::1]:9002",
            "-H",
            "udp:h:9003",
            "--hep-version",
            "3",
            "--compress",
            "--tls-ca",
            "/ca.pem",
            "--tls-cert",
            "/c.pem",
            "--tls-key",
            "/k.pem",
            "--tls-insecure",
            "--buffer-dir",
            "/spool",
            "--buffer-max",
            "5MB",
            "--no-batch"
        });
        assertTrue(c.quickFlags());
        Map<String, Object> y = quickConfig(c);
        assertEquals("fanout", at(y, "transports.hepsocket.mode"));
        assertEquals(
                List.of("tcp:127.0.0.1:9001", "tls:[::1]:9002", "udp:h:9003"),
                at(y, "transports.hepsocket.collectors"));
        assertEquals(3, at(y, "transports.hepsocket.version"));
        assertEquals(true, at(y, "transports.hepsocket.compress"));
        assertEquals(false, at(y, "transports.hepsocket.batch"));
        assertEquals(Map.of("dir", "/spool", "max-size", "5MB"), at(y, "transports.hepsocket.spool"));
        assertEquals(
                Map.of("ca", "/ca.pem", "cert", "/c.pem", "key", "/k.pem", "verify", false),
                at(y, "transports.hepsocket.tls"));
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"--hep-version", "4"}));
    }

    @Test
    void hin_over_tls_takes_the_relay_certificate_key_and_client_ca() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {
            "--hin",
            "udp:127.0.0.1:9060,tls:127.0.0.1:9061",
            "--hin-cert",
            "/r.pem",
            "--hin-key",
            "/r.key",
            "--hin-client-ca",
            "/agents.pem"
        });
        Map<String, Object> y = quickConfig(c);
        assertEquals(List.of("udp:127.0.0.1:9060", "tls:127.0.0.1:9061"), at(y, "sockets.hin.listen"));
        assertEquals(Map.of("cert", "/r.pem", "key", "/r.key", "client-ca", "/agents.pem"), at(y, "sockets.hin.tls"));
        CommandLine.UsageException e = assertThrows(
                CommandLine.UsageException.class,
                () -> CommandLine.parse(new String[] {"--hin", "tls:127.0.0.1:9061", "--hin-cert", "/r.pem"}));
        assertTrue(
                e.getMessage().startsWith("--hin tls:HOST:PORT needs --hin-cert FILE and --hin-key FILE"),
                e.getMessage());
        assertThrows(
                CommandLine.UsageException.class,
                () -> CommandLine.parse(new String[] {"--hin", "tcp:127.0.0.1:9061", "--hin-key", "/k"}));
    }

    @Test
    void kernel_buffer_is_megabytes_like_heplify_or_a_size_with_its_unit() throws Exception {
        Map<String, Object> y = quickConfig(CommandLine.parse(new String[] {"-i", "lo", "-b", "128"}));
        assertEquals("128MB", at(y, "sockets.sip.buffer-size"), "sip and rtcp sockets");
        assertEquals("128MB", at(y, "sockets.rtcp.buffer-size"), "sip and rtcp sockets");
        y = quickConfig(CommandLine.parse(new String[] {"-i", "lo", "-m", "sip", "--kernel-buffer", "1GB"}));
        assertEquals("1GB", at(y, "sockets.sip.buffer-size"));
        assertEquals(null, at(y, "sockets.rtcp"));
        assertTrue(
                !QuickConfig.yaml(CommandLine.parse(new String[] {"-i", "lo"})).contains("buffer-size"),
                "default from the config");
    }

    @Test
    void misuse_is_explained() {
        CommandLine.UsageException e =
                assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"--bogus"}));
        assertEquals("unknown option --bogus (see --help)", e.getMessage());
        e = assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"--capture-id", "x"}));
        assertTrue(e.getMessage().contains("not a number"));
        e = assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"-r"}));
        assertEquals("-r needs a value", e.getMessage());
    }

    @Test
    void loop_counts_replays_and_needs_a_file() throws Exception {
        assertEquals(1, CommandLine.parse(new String[] {"-r", "x.pcap"}).loop);
        assertEquals(3, CommandLine.parse(new String[] {"-r", "x.pcap", "--loop", "3"}).loop);
        assertEquals(0, CommandLine.parse(new String[] {"-r", "x.pcap", "--loop=0"}).loop);
        CommandLine.UsageException bad = assertThrows(
                CommandLine.UsageException.class,
                () -> CommandLine.parse(new String[] {"-r", "x.pcap", "--loop", "-2"}));
        assertEquals("--loop -2: give how many times to replay the file (0 = until stopped)", bad.getMessage());
        CommandLine.UsageException live = assertThrows(
                CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"-i", "lo", "--loop", "2"}));
        assertEquals("--loop replays a capture file: it needs -r FILE", live.getMessage());
    }

    @Test
    void max_gap_is_a_duration_defaulting_to_one_second() throws Exception {
        assertEquals(java.time.Duration.ofSeconds(1), CommandLine.parse(new String[] {"-r", "x.pcap"}).maxGap);
        assertEquals(java.time.Duration.ofMillis(250), CommandLine.parse(new String[] {"--max-gap", "250ms"}).maxGap);
        assertEquals(java.time.Duration.ZERO, CommandLine.parse(new String[] {"--max-gap", "0"}).maxGap);
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"--max-gap", "soon"}));
    }

    @Test
    void ring_keeps_the_recent_calls_and_stay_keeps_a_replay_running() throws Exception {
        CommandLine cl = CommandLine.parse(new String[] {"-r", "x.pcap", "--ring", "64MB", "--stay"});
        assertTrue(cl.stay);
        String yaml = QuickConfig.yaml(cl);
        assertTrue(yaml.contains("modules:\n  ring:\n    size: \"64MB\"\n"), yaml);
        CommandLine.UsageException e = assertThrows(
                CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"-i", "lo", "--stay"}));
        assertEquals("--stay keeps a replay running: it needs -r FILE", e.getMessage());
    }

    /**
     * picocli reads annotations through the JDK's annotation parser and proxy classes generated
     * at run time, which no JDK 17 class-data archive holds: ~0.15 CPU-s at every start
     * (bench/README.md, "Start-up with a static archive"). The agent's options and the modules'
     * are built with picocli's API instead, so no picocli annotation is left for it to read.
     */
    @Test
    void the_command_line_reads_no_picocli_annotations() {
        List<Class<?>> classes = new java.util.ArrayList<>(List.of(CommandLine.class));
        for (var q : CommandLine.contributors()) classes.add(q.getClass());
        for (Class<?> c : classes) {
            List<java.lang.reflect.AnnotatedElement> elements = new java.util.ArrayList<>(List.of(c));
            elements.addAll(List.of(c.getDeclaredFields()));
            elements.addAll(List.of(c.getDeclaredMethods()));
            for (var e : elements) {
                for (var a : e.getAnnotations()) {
                    assertFalse(a.annotationType().getName().startsWith("picocli."), e + ": " + a);
                }
            }
        }
    }

    @Test
    void module_flags_come_from_the_modules_contributions() throws Exception {
        // without the modules' contributors the agent's own command line has no -m, -H or --hin
        for (String flag : List.of("-m", "--rtcp-nat", "-H", "--hep-version", "--hin", "--rtcpxr", "-w", "--rotate")) {
            CommandLine.UsageException e = assertThrows(
                    CommandLine.UsageException.class,
                    () -> CommandLine.parse(new String[] {flag, "x"}, List.of()),
                    flag);
            assertTrue(e.getMessage().startsWith("unknown option " + flag), e.getMessage());
        }
        // with them, each module writes its own part of the quick configuration
        List<String> owners = CommandLine.parse(new String[0]).contributors.stream()
                .map(q -> q.getClass().getSimpleName())
                .toList();
        assertEquals(
                List.of(
                        "SipQuickMode",
                        "RtcpQuickMode",
                        "RtpQuickMode",
                        "HepQuickMode",
                        "PcapQuickMode",
                        "RingQuickMode"),
                owners);
        // in rank order, whatever order the jars are on the class path (bin/heptap's lib/* is unordered)
        List<org.heptap.core.spi.QuickModeContributor> reversed = new java.util.ArrayList<>(CommandLine.contributors());
        java.util.Collections.reverse(reversed);
        String ranked = QuickConfig.yaml(CommandLine.parse(
                new String[] {"-i", "lo", "--hin", "udp:127.0.0.1:9", "--rtcpxr", "udp:127.0.0.1:8"}, reversed));
        assertTrue(
                ranked.indexOf("  rtcpxr:\n") < ranked.indexOf("  hin:\n")
                        && ranked.indexOf("  hin:\n") < ranked.indexOf("  sip:\n")
                        && ranked.indexOf("  sip:\n") < ranked.indexOf("  rtcp:\n"),
                ranked);
        String yaml = QuickConfig.yaml(CommandLine.parse(new String[] {"-i", "lo", "--rtcp-nat", "-m", "SIPRTCP"}));
        assertTrue(
                yaml.contains(
                        "  rtcp:\n    device: \"lo\"\n    port-range: \"1024-65535\"\n    transport: udp\n    rtcp-filter: true\n"),
                yaml);
        assertTrue(yaml.contains("modules:\n  rtcp:\n    nat-matching: true\n"), yaml);
        assertTrue(yaml.contains("  sip:\n    device: \"lo\"\n    port-range: \"5060-5090\"\n"), yaml);
    }

    /** RTP streams behind NAT are found as RTCP's are: --rtcp-nat sets both modules' NAT matching. */
    @Test
    void rtcp_nat_also_turns_on_nat_matching_for_rtp_analysis() throws Exception {
        Map<String, Object> y = quickConfig(CommandLine.parse(new String[] {"-i", "lo", "--rtcp-nat"}));
        assertEquals(true, at(y, "modules.rtcp.nat-matching"));
        assertEquals(true, at(y, "modules.rtp.nat-matching"));
        Map<String, Object> plain = quickConfig(CommandLine.parse(new String[] {"-i", "lo"}));
        assertEquals(null, at(plain, "modules.rtp"));
        // without RTP analysis there is no rtp section to set
        Map<String, Object> noRtp =
                quickConfig(CommandLine.parse(new String[] {"-i", "lo", "--rtcp-nat", "-m", "sip+rtcp"}));
        assertEquals(true, at(noRtp, "modules.rtcp.nat-matching"));
        assertEquals(null, at(noRtp, "modules.rtp"));
    }

    @Test
    void a_collector_alone_runs_without_capture_sockets_unless_asked() throws Exception {
        String alone = QuickConfig.yaml(CommandLine.parse(new String[] {"--hin", "udp:127.0.0.1:9060"}));
        assertTrue(alone.contains("  hin:\n    type: collector\n") && !alone.contains("  sip:\n"), alone);
        String both = QuickConfig.yaml(
                CommandLine.parse(new String[] {"--rtcpxr", "udp:127.0.0.1:5061", "-i", "lo", "-m", "sip"}));
        assertTrue(both.contains("  rtcpxr:\n") && both.contains("  sip:\n") && !both.contains("  rtcp:\n"), both);
        assertEquals(
                "-m sipp: use any of sip, rtcp, rtp joined by '+' (default: sip+rtcp+rtp)",
                assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"-m", "sipp"}))
                        .getMessage());
    }

    /** The built-in plans keep frames (send_pcap, and its profile) only when -w asks for pcap files. */
    @Test
    void quick_plans_send_to_a_pcap_profile_only_with_w() throws Exception {
        CommandLine plain = CommandLine.parse(new String[] {"-r", "x.pcap", "--hin", "udp:127.0.0.1:9"});
        assertFalse(QuickConfig.yaml(plain).contains("pcapfile"), QuickConfig.yaml(plain));
        java.nio.file.Path dir = new QuickConfig().planDir(plain.contributors);
        List<String> plans = List.of(
                "quick_sip_capture_plan.cfg", "quick_rtcp_capture_plan.cfg", "quick_hep_relay_capture_plan.cfg");
        for (String plan : plans) {
            String text = java.nio.file.Files.readString(dir.resolve(plan));
            String statements = text.replaceAll("(?m)^\\s*#.*$", "");
            assertFalse(statements.contains("pcapfile"), plan + ":\n" + text);
            assertTrue(text.contains("# quick: frames\n"), plan + ":\n" + text);
        }

        CommandLine w = CommandLine.parse(new String[] {"-r", "x.pcap", "--hin", "udp:127.0.0.1:9", "-w", "/d"});
        assertTrue(QuickConfig.yaml(w).contains("  pcapfile:\n    type: pcap\n"), QuickConfig.yaml(w));
        dir = new QuickConfig().planDir(w.contributors);
        for (String plan : plans) {
            String text = java.nio.file.Files.readString(dir.resolve(plan));
            assertTrue(text.matches("(?s).*\n {4,}send_pcap\\(\"pcapfile\"\\);\n.*"), plan + ":\n" + text);
            assertFalse(
                    java.util.regex.Pattern.compile("(?m)^\\s*# quick: frames$")
                            .matcher(text)
                            .find(),
                    plan + ":\n" + text);
        }
    }

    /** Each module's socket comes with its -m word; without -m every one is there. */
    @Test
    void mode_words_choose_the_modules_sockets() throws Exception {
        String all = QuickConfig.yaml(CommandLine.parse(new String[] {"-i", "lo"}));
        assertTrue(all.contains("  sip:\n") && all.contains("  rtcp:\n") && all.contains("  rtp:\n"), all);
        assertTrue(all.contains("    rtp-filter: true\n    capture-plan: quick_rtp_capture_plan.cfg\n"), all);
        String sipRtcp = QuickConfig.yaml(CommandLine.parse(new String[] {"-i", "lo", "-m", "sip+rtcp"}));
        assertTrue(sipRtcp.contains("  rtcp:\n") && !sipRtcp.contains("  rtp:\n"), sipRtcp);
        String sip = QuickConfig.yaml(CommandLine.parse(new String[] {"-r", "x.pcap", "-m", "sip"}));
        assertTrue(sip.contains("  sip:\n") && !sip.contains("  rtcp:\n") && !sip.contains("  rtp:\n"), sip);
        // heplify's spelling: the words run together, any case
        assertEquals(List.of("sip", "rtcp"), CommandLine.parse(new String[] {"-m", "SIPRTCP"}).mode);
        assertEquals(List.of("sip", "rtcp", "rtp"), CommandLine.parse(new String[] {"-m", "sip+RTCP+rtp"}).mode);
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"-m", "sip+"}));
        assertTrue(CommandLine.parse(new String[] {"-m", "sip"}).quickFlags(), "-m asks for a quick run");
    }

    @Test
    void problems_of_a_quick_config_name_the_flag_not_the_yaml_nobody_wrote() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"-i", "lo", "-m", "sip", "-b", "abc"});
        org.heptap.core.config.Problems p = new org.heptap.core.config.Problems();
        Main.loadConfig(c, p);
        assertTrue(
                p.errors().contains("-b: abc is not a size (e.g. 65535, 64k, 32MB)"),
                p.errors().toString());

        // each module names the flags behind the keys it writes
        java.util.function.UnaryOperator<String> asFlags = QuickConfig.asFlags(CommandLine.contributors());

        assertEquals(
                "--tls-key: /k.pem: is not a PKCS#8 private key",
                asFlags.apply("(command line):23: transports.hepsocket.tls.key: /k.pem: is not a PKCS#8 private key"));
        assertEquals(
                "--hin-key: /r.key: is not the private key of the certificate in cert (CN=x)",
                asFlags.apply(
                        "(command line):9: sockets.hin.tls.key: /r.key: is not the private key of the certificate in cert (CN=x)"));
        assertEquals(
                "-H: warning: something",
                asFlags.apply("(command line):20: warning: transports.hepsocket.host: something"));
        // a key no flag sets stays as it is
        String other = "(command line):30: transports.console.mode: x";
        assertEquals(other, asFlags.apply(other));
    }
}
