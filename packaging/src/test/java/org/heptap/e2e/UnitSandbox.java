package org.heptap.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs a command the way a systemd unit's [Service] section would, where no systemd runs (a
 * container): in a mount namespace of its own, the file system as the unit's sandbox settings
 * leave it (ProtectSystem=strict read-only but for StateDirectory=, RuntimeDirectory= and
 * ReadWritePaths=; PrivateTmp=; ProtectHome=), as User=/Group= with the unit's capabilities,
 * Environment= and WorkingDirectory=. A unit key this class does not know fails the test rather
 * than being ignored, so the emulation cannot silently fall behind the unit.
 */
final class UnitSandbox {
    /** Keys with no bearing on which files the service may write, or that a test run does not exercise. */
    private static final Set<String> NOT_EMULATED = Set.of(
            "Type",
            "ExecStart",
            "ExecReload",
            "KillSignal",
            "TimeoutStopSec",
            "SuccessExitStatus",
            "Restart",
            "RestartSec",
            "MemoryMax",
            "ProtectKernelTunables",
            "ProtectKernelModules",
            "ProtectControlGroups",
            "RestrictSUIDSGID",
            "LockPersonality",
            "RuntimeDirectoryMode",
            "StateDirectoryMode");

    private static final Set<String> EMULATED = Set.of(
            "User",
            "Group",
            "Environment",
            "WorkingDirectory",
            "AmbientCapabilities",
            "CapabilityBoundingSet",
            "NoNewPrivileges",
            "ProtectSystem",
            "ProtectHome",
            "PrivateTmp",
            "StateDirectory",
            "RuntimeDirectory",
            "ReadWritePaths");

    /**
     * Sets up the namespace; arguments: user, group, working directory, writable folders, state and
     * runtime folders (created for the user), private tmp (yes/no), protected homes; then the command.
     */
    private static final String SETUP = """
            set -eu
            user=$1 group=$2 workdir=$3 writable=$4 owned=$5 runtime=$6 private_tmp=$7 homes=$8
            shift 8
            # RuntimeDirectory=: systemd's /run is a tmpfs; this one lives only in this namespace
            if [ -n "$runtime" ]; then mount -t tmpfs -o mode=0755 tmpfs /run; fi
            # ProtectSystem=strict: every writable mount but the API file systems becomes read-only,
            # except the folders bound onto themselves below (listed first, so they stay writable)
            ro=$(awk '$6 ~ /^rw/ && $5 !~ "^/(proc|sys|dev)(/|$)" {print $5}' /proc/self/mountinfo | sort -u)
            for d in $owned $runtime; do mkdir -p "$d"; chown "$user:$group" "$d"; done
            for d in $writable $owned $runtime; do mount --bind "$d" "$d"; done
            for m in $ro; do
              if [ -e "$m" ] && mountpoint -q "$m"; then mount -o remount,bind,ro "$m"; fi
            done
            if [ "$private_tmp" = yes ]; then
              for t in /tmp /var/tmp; do mount -t tmpfs -o mode=1777 tmpfs "$t"; done
            fi
            for h in $homes; do if [ -d "$h" ]; then mount -t tmpfs -o ro,mode=000 tmpfs "$h"; fi; done
            # the emulation must hold: a test passing in a writable file system would prove nothing
            if touch /etc/.unit-sandbox-probe 2>/dev/null; then
              rm -f /etc/.unit-sandbox-probe
              echo "unit sandbox: / is still writable" >&2
              exit 97
            fi
            cd "$workdir"
            exec "$@"
            """;

    private final Map<String, List<String>> service;

    private UnitSandbox(Map<String, List<String>> service) {
        this.service = service;
    }

    /** The [Service] section of {@code unit}; a key neither emulated nor known to be irrelevant is an error. */
    static UnitSandbox of(Path unit) throws IOException {
        Map<String, List<String>> service = new LinkedHashMap<>();
        String section = "";
        for (String raw : Files.readAllLines(unit)) {
            String l = raw.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) continue;
            if (l.startsWith("[")) {
                section = l;
                continue;
            }
            if (!section.equals("[Service]")) continue;
            int eq = l.indexOf('=');
            String key = l.substring(0, eq);
            if (!EMULATED.contains(key) && !NOT_EMULATED.contains(key)) {
                throw new AssertionError(unit + ": " + key + "= is not emulated by " + UnitSandbox.class.getSimpleName()
                        + "; teach it (or list it as irrelevant to a test run)");
            }
            service.computeIfAbsent(key, k -> new ArrayList<>()).add(l.substring(eq + 1));
        }
        String protect = one(service, "ProtectSystem", "no");
        if (!protect.equals("strict")) {
            throw new AssertionError(unit + ": ProtectSystem=" + protect + " is not emulated (strict is)");
        }
        return new UnitSandbox(service);
    }

    /** {@code command} wrapped to run as the unit would run it. Needs root (unshare -m, mount, setpriv). */
    List<String> command(List<String> command) throws IOException, InterruptedException {
        String user = one(service, "User", "root");
        String group = one(service, "Group", user);
        List<String> c = new ArrayList<>(List.of(
                "unshare",
                "-m",
                "--propagation",
                "private",
                "--",
                "sh",
                "-c",
                SETUP,
                "unit-sandbox",
                user,
                group,
                one(service, "WorkingDirectory", "/"),
                paths("ReadWritePaths", ""),
                paths("StateDirectory", "/var/lib/"),
                paths("RuntimeDirectory", "/run/"),
                yes("PrivateTmp") ? "yes" : "no",
                yes("ProtectHome") ? "/home /root /run/user" : ""));
        c.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--init-groups"));
        String caps = capabilities("AmbientCapabilities");
        if (!caps.isEmpty()) {
            c.add("--inh-caps=-all," + caps);
            c.add("--ambient-caps=-all," + caps);
        }
        if (service.containsKey("CapabilityBoundingSet"))
            c.add("--bounding-set=-all" + prefixed(capabilities("CapabilityBoundingSet")));
        if (yes("NoNewPrivileges")) c.add("--no-new-privs");
        // systemd starts a service with a clean environment: PATH, the user's HOME and names, Environment=
        c.addAll(List.of(
                "env",
                "-i",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOME=" + home(user),
                "USER=" + user,
                "LOGNAME=" + user));
        for (String e : service.getOrDefault("Environment", List.of())) c.add(unquote(e));
        c.addAll(command);
        return c;
    }

    private String paths(String key, String prefix) {
        List<String> out = new ArrayList<>();
        for (String v : service.getOrDefault(key, List.of())) {
            for (String p : v.trim().split("\\s+")) {
                if (p.isEmpty()) continue;
                String path = p.startsWith("-") ? p.substring(1) : p;
                out.add(path.startsWith("/") ? path : prefix + path);
            }
        }
        return String.join(" ", out);
    }

    /** e.g. {@code +net_raw,+net_admin} for {@code CAP_NET_RAW CAP_NET_ADMIN}. */
    private String capabilities(String key) {
        List<String> caps = new ArrayList<>();
        for (String v : service.getOrDefault(key, List.of())) {
            for (String cap : v.trim().split("\\s+")) {
                if (!cap.isEmpty()) caps.add("+" + cap.toLowerCase(Locale.ROOT).replaceFirst("^cap_", ""));
            }
        }
        return String.join(",", caps);
    }

    private static String prefixed(String caps) {
        return caps.isEmpty() ? "" : "," + caps;
    }

    private boolean yes(String key) {
        return Set.of("yes", "true", "on", "1").contains(one(service, key, "no").toLowerCase(Locale.ROOT));
    }

    private static String one(Map<String, List<String>> service, String key, String dflt) {
        List<String> v = service.get(key);
        return v == null || v.isEmpty() ? dflt : v.get(v.size() - 1).strip();
    }

    private static String home(String user) throws IOException, InterruptedException {
        Proc p = Proc.run(java.time.Duration.ofSeconds(10), List.of("getent", "passwd", user));
        String[] f = p.stdout().strip().split(":");
        if (p.exitCode() != 0 || f.length < 6)
            throw new AssertionError("no passwd entry for " + user + ": " + p.stderr());
        return f[5];
    }

    private static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
