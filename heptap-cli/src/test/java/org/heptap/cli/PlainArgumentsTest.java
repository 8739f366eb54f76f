package org.heptap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heptap.core.spi.QuickOption;
import org.heptap.core.spi.QuickOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/**
 * The fast path reads a command line exactly as picocli would or leaves it to picocli: for every
 * command line of a corpus (README's, the end-to-end tests' forms, generated combinations with
 * tricky values), the options it fills are picocli's, in the same order, with the same values.
 */
class PlainArgumentsTest {
    /** The first line of a heptap command in README.md, after {@code heptap}, up to a closing backtick or pipe. */
    private static final Pattern README_COMMAND = Pattern.compile("(?:^|[\\s`(])(?:bin/)?heptap((?: +[^\\s`|]+)+)");

    /** What the options were given, in order: value and flag uses as they come, then each list's content. */
    private record Recording(List<QuickOption> options, List<String> log) {}

    /** Copies of heptap's options (the modules' included) that log what they are given instead. */
    private static Recording recording() {
        List<String> log = new ArrayList<>();
        List<QuickOption> copies = new ArrayList<>();
        for (QuickOption o : CommandLine.withModules().options()) {
            String names = String.join(" ", o.names());
            String name = o.names().get(o.names().size() - 1);
            copies.add(
                    switch (o.kind()) {
                        case VALUE ->
                            QuickOptions.value(names, o.label(), o.description(), v -> log.add(name + " " + v));
                        case FLAG -> QuickOptions.flag(names, o.description(), () -> log.add(name));
                        case LIST ->
                            QuickOptions.list(
                                    names, o.label(), o.split(), o.arity(), o.description(), new ArrayList<>());
                    });
        }
        return new Recording(copies, log);
    }

    private static List<String> withLists(Recording r) {
        List<String> out = new ArrayList<>(r.log());
        for (QuickOption o : r.options()) {
            if (o.kind() == QuickOption.Kind.LIST && !o.into().isEmpty()) out.add(o.names() + " " + o.into());
        }
        return out;
    }

    /** True when the fast path read {@code args}; then picocli must have read them the same way. */
    private static boolean readsAsPicocliDoes(String... args) {
        Recording fast = recording();
        List<Runnable> steps = PlainArguments.steps(fast.options(), args);
        if (steps == null) return false;
        steps.forEach(Runnable::run);
        Recording picocli = recording();
        try {
            PicocliCommandLine.model(picocli.options()).parseArgs(args);
        } catch (ParameterException e) {
            fail("picocli refuses " + List.of(args) + ", which the fast path read: " + e.getMessage());
        }
        assertEquals(withLists(picocli), withLists(fast), "what " + List.of(args) + " gives each option");
        return true;
    }

    /** heptap's command lines in README.md, continuation lines joined. */
    private static List<String[]> readmeCommands() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md")).replace("\\\n", " ");
        List<String[]> out = new ArrayList<>();
        Matcher m = README_COMMAND.matcher(readme);
        while (m.find()) out.add(m.group(1).trim().split(" +"));
        return out;
    }

    @Test
    void readme_command_lines_read_as_picocli_reads_them() throws IOException {
        List<String[]> commands = readmeCommands();
        int read = 0;
        for (String[] args : commands) if (readsAsPicocliDoes(args)) read++;
        assertTrue(commands.size() >= 10, "README's heptap commands: " + commands.size());
        assertTrue(read >= 8, "the fast path read only " + read + " of README's " + commands.size() + " commands");
        // the examples of the quick-flag sections are plain
        assertTrue(readsAsPicocliDoes(
                "--hin",
                "udp:0.0.0.0:9060,tcp:0.0.0.0:9060",
                "-H",
                "tcp:homer.example.net:9061",
                "--buffer-dir",
                "/var/lib/heptap/spool"));
        assertTrue(
                readsAsPicocliDoes("-i", "eth0", "-w", "/var/lib/heptap/pcap", "--rotate", "30s", "--rotate", "100MB"));
    }

    @Test
    void the_command_lines_of_ordinary_starts_are_read_without_picocli() {
        // bin/heptap's class-data archive run, and the end-to-end tests' usual forms
        assertTrue(readsAsPicocliDoes(
                "-r",
                "conf/samples/sample-call.pcap",
                "-H",
                "udp:127.0.0.1:9",
                "--control",
                "/nonexistent/heptap.sock"));
        assertTrue(readsAsPicocliDoes("--config", "conf/heptap.yaml", "--check"));
        assertTrue(readsAsPicocliDoes(
                "-c", "x.yaml", "-r", "a.pcap", "--speed", "real", "--max-gap", "2s", "--loop", "3"));
        assertTrue(readsAsPicocliDoes("-i", "lo", "-p", "5060,5080-5090", "-m", "sip+rtcp", "--capture-id=7"));
        assertTrue(readsAsPicocliDoes("--password=a=b", "-H", "tls:[::1]:9061", "--tls-ca", "ca.pem", "--compress"));
        assertTrue(readsAsPicocliDoes("-H", "udp:a:1,udp:b:2", "-H", "tcp:c:3", "--hep-version", "2", "--no-batch"));
        assertTrue(readsAsPicocliDoes("-r", "a.pcap", "-r", "b.pcap", "--stay", "--stay", "--ring", "64MB"));
        assertTrue(readsAsPicocliDoes("--rtcp-nat", "--rtcpxr", "udp:0.0.0.0:5060", "--web=127.0.0.1:8080"));
        assertTrue(readsAsPicocliDoes());
    }

    @Test
    void what_only_picocli_can_answer_is_left_to_it() {
        Recording r = recording();
        for (String[] args : List.of(
                new String[] {"-h"},
                new String[] {"--help"},
                new String[] {"-V"},
                new String[] {"--version"},
                new String[] {"-r", "a.pcap", "--version"},
                new String[] {"-rFILE"},
                new String[] {"-c=x.yaml"},
                new String[] {"--check=true"},
                new String[] {"-r"},
                new String[] {"-r", "-H", "udp:a:1"},
                new String[] {"-r", ""},
                new String[] {"--config="},
                new String[] {"-H", "a,,b"},
                new String[] {"-H", "a,"},
                new String[] {"-H", ",a"},
                new String[] {"-H", "\"a,b\",c"},
                new String[] {"-c", "@args"},
                new String[] {"@args"},
                new String[] {"--"},
                new String[] {"-i", "lo", "--", "-r"},
                new String[] {"positional"},
                new String[] {"--unknown"},
                new String[] {"--check-plan", "a.cfg"},
                new String[] {""})) {
            assertNull(PlainArguments.steps(r.options(), args), List.of(args) + " is left to picocli");
        }
        assertTrue(r.log().isEmpty(), "nothing filled: " + r.log());
    }

    @Test
    void generated_command_lines_read_as_picocli_reads_them() {
        List<QuickOption> options = recording().options();
        List<String> tokens = new ArrayList<>(List.of(
                "a.pcap",
                "udp:127.0.0.1:9",
                "a,b",
                "a,,b",
                "a,",
                ",a",
                "\"a,b\"",
                "'a'",
                "x=y",
                "=x",
                "@f",
                "",
                " ",
                "-",
                "--",
                "-1",
                "-x",
                "-rX",
                "--config=c.yaml",
                "--config=",
                "--check=false",
                "-h",
                "-V",
                "5060-5090",
                "sip+rtcp",
                "1s",
                "0",
                "tls:[::1]:9061",
                "a b",
                "ü"));
        for (QuickOption o : options) {
            for (String n : o.names()) {
                tokens.add(n);
                if (n.startsWith("--") && o.kind() != QuickOption.Kind.FLAG) {
                    tokens.add(n + "=v");
                    tokens.add(n + "=a,b");
                    tokens.add(n + "=a,,b");
                }
            }
        }
        Set<String> read = new LinkedHashSet<>();
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            String[] args = new String[1 + random.nextInt(6)];
            for (int j = 0; j < args.length; j++) args[j] = tokens.get(random.nextInt(tokens.size()));
            if (readsAsPicocliDoes(args)) read.add(String.join(" ", args));
        }
        // every option, alone and with each of the plain values after it
        for (QuickOption o : options) {
            for (String n : o.names()) {
                for (String v : List.of("v", "a,b", "udp:h:1,tcp:h:2", "x=y", "a b", "sip")) {
                    if (readsAsPicocliDoes(n, v)) read.add(n + " " + v);
                    if (readsAsPicocliDoes(n, v, n, v + "2")) read.add(n + " " + v + " " + n + " " + v + "2");
                }
                if (readsAsPicocliDoes(n)) read.add(n);
            }
        }
        assertTrue(read.size() > 1000, "the fast path read only " + read.size() + " generated command lines");
    }

    @Test
    void a_plain_command_line_fills_the_options_a_picocli_one_would() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"-r", "x.pcap", "-H", "udp:a:1,tcp:b:2", "--stay"});
        assertEquals("x.pcap", c.readFile);
        assertTrue(c.stay);
        assertNotNull(PlainArguments.steps(c.options(), new String[] {"-r", "x.pcap"}));
    }
}
