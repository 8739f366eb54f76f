package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spool folder the agent cannot make (as /var/spool/heptap under the systemd unit, which makes
 * it read-only) stops the start with one operator line naming the transport, the folder and why,
 * exit 3: no stack trace.
 */
@Offline
class SpoolFolderIT {
    @Test
    void a_spool_folder_that_cannot_be_made_is_one_error_line(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "");
        Path spool = notAFolder.resolve("spool");
        int port = Env.freeTcpPort();
        Proc agent = Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        Env.heptap().toString(),
                        "-r",
                        Env.home().resolve("conf/samples/sample-call.pcap").toString(),
                        "-m",
                        "sip",
                        "-H",
                        "tcp:127.0.0.1:" + port,
                        "--buffer-dir",
                        spool.toString()));
        String log = agent.stderr();
        assertEquals(3, agent.exitCode(), log);
        assertFalse(log.contains("Exception in thread") || log.contains("\tat "), "no stack trace:\n" + log);
        assertTrue(
                log.contains("ERROR Main: transport hepsocket: cannot open the spool " + spool
                        + "/hepsocket-tcp-127.0.0.1-" + port + ": " + spool
                        + ": Not a directory; it must be a folder the agent's user may write"),
                log);
    }
}
