package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's page in a real browser (headless Chromium through chromedriver; issue 14,
 * acceptance 1): after sipp calls on lo it shows the agent healthy, its sockets, transports, loss
 * ledger and rate charts. Screenshots go to {@code target/screenshots/}.
 */
class WebPageIT {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @SuppressWarnings("try") // sipp's UAS runs for the try block; it does not touch it
    @Test
    void the_status_page_shows_health_sockets_the_ledger_and_rate_charts(@TempDir Path dir) throws Exception {
        assumeTrue(Env.onPath("sipp"), "sipp is installed by bin/test-all");
        assumeTrue(Browser.installed(), "chromium and chromium-driver are installed by bin/test-all");
        int sinkPort = Env.freeTcpPort();
        try (HepSink sink = HepSink.startTcp(sinkPort);
                WebAgent a = WebAgent.start(dir, sinkPort, "rate-interval: 1s\n");
                Proc uas = a.startUas();
                Browser b = new Browser(Files.createDirectories(dir.resolve("downloads")))) {
            a.calls(10, "0611111111", 5);
            sink.awaitRecords(10 * 6, Duration.ofSeconds(30));
            b.open(a.url("/"));
            Await.until(
                    () -> b.find("#ledger tbody tr").size() >= 4
                            && b.find("#charts svg polyline").size() >= 4,
                    Duration.ofSeconds(30),
                    "the ledger and the charts to show");
            assertEquals("healthy", b.text(b.find("#health").get(0)));
            String sockets = b.text(b.find("#sockets").get(0));
            assertTrue(sockets.contains("sip") && sockets.contains("capturing") && sockets.contains("60"), sockets);
            String transports = b.text(b.find("#transports").get(0));
            assertTrue(transports.contains("tcp:127.0.0.1:" + sinkPort), transports);
            String ledger = b.text(b.find("#ledger").get(0));
            assertTrue(ledger.contains("transport sink") && !ledger.contains("DOES NOT BALANCE"), ledger);
            // the charts move: a sample with the calls' packets makes a rate above zero
            assertTrue(
                    b.script("return [...document.querySelectorAll('#charts .chart h3 span')]"
                                    + ".some(s => !s.textContent.startsWith('max 1.0/s'));")
                            .asBoolean(),
                    "a chart shows the calls' rate");
            b.screenshot(SCREENSHOTS.resolve("status.png"));
            assertTrue(Files.size(SCREENSHOTS.resolve("status.png")) > 10_000);
        }
    }
}
