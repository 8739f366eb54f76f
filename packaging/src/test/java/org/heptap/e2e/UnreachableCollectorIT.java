package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A UDP collector without a route when the agent starts (an SBC whose network is not up yet),
 * in a network namespace of the test's own with no interface up: the agent still starts, says
 * so, and counts every message it could not send; the ledger balances.
 */
@Offline
class UnreachableCollectorIT {
    @Test
    void no_route_at_start_is_logged_counted_and_survived() throws Exception {
        Proc probe = Proc.run(Duration.ofSeconds(10), List.of("unshare", "-n", "true"));
        Assumptions.assumeTrue(probe.exitCode() == 0, "needs unshare -n (root): " + probe.stderr());
        Proc agent = Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        "unshare",
                        "-n",
                        Env.heptap().toString(),
                        "-r",
                        Env.home().resolve("conf/samples/sample-call.pcap").toString(),
                        "-m",
                        "sip",
                        "-H",
                        "udp:192.0.2.1:9060"));
        String log = agent.stderr();
        assertEquals(6, agent.exitCode(), "none delivered: " + log);
        assertTrue(log.contains("transport hepsocket: cannot reach 192.0.2.1:9060 now"), log);
        assertTrue(log.contains("ledger: captured 7 frames, sent 0 messages"), log);
        assertTrue(log.contains("(transport hepsocket send-failed 7); balanced"), log);
    }
}
