package org.heptap.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    @Test
    void check_plan_takes_every_following_file() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"--check-plan", "a.cfg", "b.cfg", "--log-level", "debug"});
        assertEquals(List.of("a.cfg", "b.cfg"), c.checkPlans);
        assertEquals("debug", c.logLevel);
    }

    @Test
    void quick_flags() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"-r", "x.pcap", "-H", "udp:127.0.0.1:9999", "--capture-id", "7", "--password=pw"});
        assertTrue(c.quickFlags());
        assertEquals("x.pcap", c.readFile);
        assertEquals(7L, c.captureId);
        assertEquals("pw", c.password);
        String yaml = QuickConfig.yaml(c);
        assertTrue(yaml.contains("host: '127.0.0.1'") && yaml.contains("port: '9999'") && yaml.contains("node-id: 7"), yaml);
    }

    @Test
    void discard_lists_reach_the_quick_config_sockets() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"-i", "lo", "--discard-methods", "OPTIONS,NOTIFY", "--discard-ips=10.0.0.1,192.0.2.0/24"});
        assertEquals("OPTIONS,NOTIFY", c.discardMethods);
        assertEquals("10.0.0.1,192.0.2.0/24", c.discardIps);
        String yaml = QuickConfig.yaml(c);
        assertTrue(yaml.contains("discard-methods: 'OPTIONS,NOTIFY'"), yaml);
        // addresses apply to every socket (RTCP of a discarded host too); methods only where SIP is
        assertEquals(2, yaml.split("discard-ips: '10.0.0.1,192.0.2.0/24'", -1).length - 1, yaml);
    }

    @Test
    void ipv6_collector_in_brackets() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"-H", "udp:[::1]:9061"});
        String yaml = QuickConfig.yaml(c);
        assertTrue(yaml.contains("host: '::1'") && yaml.contains("port: '9061'"), yaml);
    }

    @Test
    void several_targets_fan_out_with_stream_and_tls_settings() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"-H", "tcp:127.0.0.1:9001,tls:[::1]:9002", "-H", "udp:h:9003",
                "--hep-version", "3", "--compress", "--tls-ca", "/ca.pem", "--tls-cert", "/c.pem", "--tls-key", "/k.pem",
                "--tls-insecure", "--buffer-dir", "/spool", "--buffer-max", "5MB", "--no-batch"});
        assertTrue(c.quickFlags());
        String yaml = QuickConfig.yaml(c);
        assertTrue(yaml.contains("mode: fanout\n    collectors:\n      - 'tcp:127.0.0.1:9001'\n      - 'tls:[::1]:9002'\n      - 'udp:h:9003'\n"), yaml);
        assertTrue(yaml.contains("version: 3\n    compress: true\n    batch: false\n"), yaml);
        assertTrue(yaml.contains("spool:\n      dir: '/spool'\n      max-size: '5MB'\n"), yaml);
        assertTrue(yaml.contains("tls:\n      ca: '/ca.pem'\n      cert: '/c.pem'\n      key: '/k.pem'\n      verify: false\n"), yaml);
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"--hep-version", "4"}));
    }

    @Test
    void hin_over_tls_takes_the_relay_certificate_key_and_client_ca() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"--hin", "udp:127.0.0.1:9060,tls:127.0.0.1:9061", "--hin-cert", "/r.pem",
                "--hin-key", "/r.key", "--hin-client-ca", "/agents.pem"});
        String yaml = QuickConfig.yaml(c);
        assertTrue(yaml.contains("      - 'tls:127.0.0.1:9061'\n    tls:\n      cert: '/r.pem'\n      key: '/r.key'\n      client-ca: '/agents.pem'\n"), yaml);
        CommandLine.UsageException e = assertThrows(CommandLine.UsageException.class,
                () -> CommandLine.parse(new String[] {"--hin", "tls:127.0.0.1:9061", "--hin-cert", "/r.pem"}));
        assertTrue(e.getMessage().startsWith("--hin tls:HOST:PORT needs --hin-cert FILE and --hin-key FILE"), e.getMessage());
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"--hin", "tcp:127.0.0.1:9061", "--hin-key", "/k"}));
    }

    @Test
    void kernel_buffer_is_megabytes_like_heplify_or_a_size_with_its_unit() throws Exception {
        String yaml = QuickConfig.yaml(CommandLine.parse(new String[] {"-i", "lo", "-b", "128"}));
        assertEquals(2, yaml.split("buffer-size: '128MB'\n", -1).length - 1, "sip and rtcp sockets: " + yaml);
        yaml = QuickConfig.yaml(CommandLine.parse(new String[] {"-i", "lo", "-m", "sip", "--kernel-buffer", "1GB"}));
        assertEquals(1, yaml.split("buffer-size: '1GB'\n", -1).length - 1, yaml);
        assertTrue(!QuickConfig.yaml(CommandLine.parse(new String[] {"-i", "lo"})).contains("buffer-size"), "default from the config");
    }

    @Test
    void misuse_is_explained() {
        CommandLine.UsageException e = assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(new String[] {"--bogus"}));
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
        CommandLine.UsageException bad = assertThrows(CommandLine.UsageException.class,
                () -> CommandLine.parse(new String[] {"-r", "x.pcap", "--loop", "-2"}));
        assertEquals("--loop -2: give how many times to replay the file (0 = until stopped)", bad.getMessage());
        CommandLine.UsageException live = assertThrows(CommandLine.UsageException.class,
                () -> CommandLine.parse(new String[] {"-i", "lo", "--loop", "2"}));
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
    void problems_of_a_quick_config_name_the_flag_not_the_yaml_nobody_wrote() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"-i", "lo", "-m", "sip", "-b", "abc"});
        org.heptap.core.config.Problems p = new org.heptap.core.config.Problems();
        Main.loadConfig(c, p);
        assertTrue(p.errors().contains("-b: abc is not a size (e.g. 65535, 64k, 32MB)"), p.errors().toString());

        assertEquals("--tls-key: /k.pem: is not a PKCS#8 private key",
                QuickConfig.asFlags("(command line):23: transports.hepsocket.tls.key: /k.pem: is not a PKCS#8 private key"));
        assertEquals("--hin-key: /r.key: is not the private key of the certificate in cert (CN=x)",
                QuickConfig.asFlags("(command line):9: sockets.hin.tls.key: /r.key: is not the private key of the certificate in cert (CN=x)"));
        assertEquals("-H: warning: something", QuickConfig.asFlags("(command line):20: warning: transports.hepsocket.host: something"));
        // a key no flag sets stays as it is
        String other = "(command line):30: transports.console.mode: x";
        assertEquals(other, QuickConfig.asFlags(other));
    }
}
