package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent started under {@code nohup} inherits SIGHUP ignored, and the JVM keeps it so: a
 * SIGHUP reload cannot work there, and the agent says so at start instead of staying silent.
 */
@Offline
class IgnoredSighupIT {
    private static final String WARNING =
            "SIGHUP is ignored by this process (started under nohup?), so it cannot reload the configuration; "
                    + "reload with heptapctl reload";

    @TempDir
    Path dir;

    /** Starts the agent behind {@code prefix} and returns its log once its socket is up. */
    private String logWhenRunning(List<String> prefix) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                Env.heptap().toString(), "--config", Env.relayConfig(dir, "").toString()));
        try (Proc agent = Proc.start(command)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!agent.stderr().contains("socket relay: ")) {
                if (!agent.process.isAlive()) throw new AssertionError(command + " exited: " + agent.stderr());
                if (System.nanoTime() > deadline)
                    throw new AssertionError(command + " did not start: " + agent.stderr());
                Thread.sleep(100);
            }
            return agent.stderr();
        }
    }

    @Test
    void under_nohup_the_agent_warns_that_sighup_cannot_reload() throws Exception {
        String log = logWhenRunning(List.of("nohup"));
        assertTrue(log.contains(WARNING), log);
        assertTrue(log.indexOf(WARNING) == log.lastIndexOf(WARNING), "warned once: " + log);
    }

    @Test
    void with_sighup_ignored_by_the_shell_the_agent_warns_too() throws Exception {
        String log = logWhenRunning(List.of("bash", "-c", "trap '' HUP; exec \"$@\"", "heptap"));
        assertTrue(log.contains(WARNING), log);
    }

    @Test
    void a_normal_start_does_not_warn() throws Exception {
        String log = logWhenRunning(List.of());
        assertFalse(log.contains("SIGHUP is ignored"), log);
    }
}
