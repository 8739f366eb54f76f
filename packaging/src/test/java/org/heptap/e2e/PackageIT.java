package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Installs the built .deb on this machine, checks what it put where, verifies the systemd unit
 * and removes it again: {@code dpkg -r} keeps /etc/heptap, {@code dpkg -P} removes it. Runs only
 * as root and only when no heptap package is installed already; it leaves the machine as it
 * found it (package purged, the heptap user removed if this test created it).
 */
class PackageIT {
    private static final Duration DPKG = Duration.ofMinutes(2);

    @Test
    void deb_installs_verifies_removes_and_purges() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "dpkg -i needs root");
        assumeTrue(
                Env.onPath("dpkg") && Env.onPath("systemd-analyze"),
                "dpkg and systemd-analyze (package systemd) are installed by bin/test-all");
        assumeTrue(
                run("dpkg-query", "-W", "heptap").exitCode() != 0,
                "dpkg knows a heptap package on this machine already (installed or its config files); not touching it");
        Path deb = builtDeb();
        boolean userExisted = run("getent", "passwd", "heptap").exitCode() == 0;
        try {
            Proc install = run("dpkg", "-i", deb.toString());
            assertEquals(0, install.exitCode(), install.stdout() + install.stderr());

            // the layout the issue asks for
            assertTrue(Files.isRegularFile(Path.of("/usr/share/heptap/bin/heptap")));
            assertTrue(Files.isExecutable(Path.of("/usr/bin/heptap")));
            assertTrue(Files.isExecutable(Path.of("/usr/bin/heptapctl")));
            try (Stream<Path> jars = Files.list(Path.of("/usr/share/heptap/lib"))) {
                List<String> names = jars.map(p -> p.getFileName().toString()).toList();
                // the agent's core and its composition root (Main, the command line) in separate jars
                for (String jar : List.of("agent-core-", "heptap-cli-")) {
                    assertTrue(
                            names.stream().anyMatch(n -> n.startsWith(jar)),
                            jar + "*.jar in /usr/share/heptap/lib: " + names);
                }
            }
            assertTrue(Files.isRegularFile(Path.of("/lib/systemd/system/heptap.service")));
            // bash completion from the command-line model: the agent's options and the modules'
            String completion = Files.readString(Path.of("/usr/share/bash-completion/completions/heptap"));
            assertTrue(completion.contains("--check-plan") && completion.contains("--rtcp-nat"), completion);
            String conffiles = run("dpkg-query", "--showformat=${Conffiles}", "--show", "heptap")
                    .stdout();
            assertTrue(conffiles.contains("/etc/heptap/heptap.yaml"), conffiles);
            assertTrue(conffiles.contains("/etc/heptap/captureplans/sip_capture_plan.cfg"), conffiles);
            String depends = run("dpkg-query", "--showformat=${Depends}", "--show", "heptap")
                    .stdout();
            assertTrue(depends.contains("java17-runtime-headless") && depends.contains("libpcap0.8"), depends);

            // postinst: the system user, its state folder, a config it may read and others may not
            assertEquals(0, run("getent", "passwd", "heptap").exitCode(), "heptap user created");
            PosixFileAttributes state = Files.readAttributes(Path.of("/var/lib/heptap"), PosixFileAttributes.class);
            assertEquals("heptap", state.owner().getName());
            PosixFileAttributes yaml =
                    Files.readAttributes(Path.of("/etc/heptap/heptap.yaml"), PosixFileAttributes.class);
            assertEquals("heptap", yaml.group().getName());
            assertFalse(
                    yaml.permissions().contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ),
                    "config may hold passwords");

            // the installed tree runs: as the heptap user, the shipped config and plan check out
            Proc check = run(
                    "setpriv",
                    "--reuid=heptap",
                    "--regid=heptap",
                    "--init-groups",
                    "--",
                    "/usr/bin/heptap",
                    "--config",
                    "/etc/heptap/heptap.yaml",
                    "--check");
            assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
            assertTrue(check.stdout().contains("/etc/heptap/heptap.yaml: ok"), check.stdout());

            // the spool folder the documentation names is one the service may write: the installed
            // agent, run as the installed unit runs it, spools there while its collector is down
            Path spool = documentedSpoolDir();
            Proc spooled = Proc.run(
                    DPKG,
                    UnitSandbox.of(Path.of("/lib/systemd/system/heptap.service"))
                            .command(List.of(
                                    "/usr/bin/heptap",
                                    "-r",
                                    "/usr/share/heptap/conf/samples/sample-call.pcap",
                                    "-m",
                                    "sip",
                                    "-H",
                                    "tcp:127.0.0.1:" + Env.freeTcpPort(),
                                    "--buffer-dir",
                                    spool.toString())));
            // exit 6: nothing reached the collector (it is down); all of it waits in the spool
            assertEquals(
                    6, spooled.exitCode(), "heptap under the unit's sandbox: " + spooled.stdout() + spooled.stderr());
            assertTrue(spooled.stderr().contains("packets stay in the spool " + spool + "/"), spooled.stderr());
            try (Stream<Path> segments = Files.walk(spool)) {
                List<Path> files = segments.filter(Files::isRegularFile).toList();
                assertFalse(files.isEmpty(), "spool files in " + spool);
                assertEquals("heptap", Files.getOwner(files.get(0)).getName(), "written by the service's user");
            }

            Proc version = run("/usr/bin/heptapctl", "--version");
            assertEquals(0, version.exitCode(), version.stdout() + version.stderr());
            assertTrue(version.stdout().startsWith("heptapctl "), version.stdout());

            Proc verify = run("systemd-analyze", "verify", "/lib/systemd/system/heptap.service");
            assertEquals(0, verify.exitCode(), "systemd-analyze verify: " + verify.stdout() + verify.stderr());
            assertEquals("", verify.stderr().strip(), "systemd-analyze verify has no complaints");

            Proc remove = run("dpkg", "-r", "heptap");
            assertEquals(0, remove.exitCode(), remove.stdout() + remove.stderr());
            assertFalse(Files.exists(Path.of("/usr/bin/heptap")), "dpkg -r removes the program");
            assertFalse(Files.exists(Path.of("/lib/systemd/system/heptap.service")), "dpkg -r removes the unit");
            assertTrue(Files.isRegularFile(Path.of("/etc/heptap/heptap.yaml")), "dpkg -r keeps the configuration");

            Proc purge = run("dpkg", "-P", "heptap");
            assertEquals(0, purge.exitCode(), purge.stdout() + purge.stderr());
            assertFalse(Files.exists(Path.of("/etc/heptap")), "dpkg -P removes /etc/heptap");
            assertFalse(Files.exists(Path.of("/var/lib/heptap")), "dpkg -P removes /var/lib/heptap");
        } finally {
            run("dpkg", "-P", "heptap");
            if (!userExisted) {
                run("userdel", "heptap");
                run("groupdel", "heptap");
            }
        }
    }

    /**
     * The spool folder the installed documentation shows: README's {@code --buffer-dir} examples and
     * the configuration's {@code spool: dir:} example, which must agree.
     */
    static Path documentedSpoolDir() throws IOException {
        java.util.Set<String> dirs = new java.util.TreeSet<>();
        java.util.regex.Matcher readme = java.util.regex.Pattern.compile("--buffer-dir (/\\S+)")
                .matcher(Files.readString(Path.of("/usr/share/heptap/README.md")));
        while (readme.find()) dirs.add(readme.group(1));
        java.util.regex.Matcher yaml = java.util.regex.Pattern.compile(
                        "(?m)^\\s*#?\\s*spool:\\s*\\n\\s*#?\\s*dir: (/\\S+)")
                .matcher(Files.readString(Path.of("/etc/heptap/heptap.yaml")));
        int inYaml = 0;
        for (; yaml.find(); inYaml++) dirs.add(yaml.group(1));
        assertTrue(inYaml > 0, "/etc/heptap/heptap.yaml shows a spool dir");
        assertEquals(1, dirs.size(), "README and heptap.yaml name one spool folder: " + dirs);
        return Path.of(dirs.iterator().next());
    }

    static Path builtDeb() throws IOException {
        try (Stream<Path> files = Files.list(Env.home().resolve("packaging/target"))) {
            return files.filter(p -> p.getFileName().toString().matches("heptap_.*_all\\.deb"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no .deb in packaging/target: run mvn package"));
        }
    }

    private static Proc run(String... command) throws IOException, InterruptedException {
        return Proc.run(DPKG, List.of(command));
    }
}
