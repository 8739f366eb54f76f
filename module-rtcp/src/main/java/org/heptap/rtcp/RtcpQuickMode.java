package org.heptap.rtcp;

import static org.heptap.core.spi.QuickYaml.quote;
import static org.heptap.core.spi.QuickYaml.scalar;

import java.util.List;
import java.util.Map;
import org.heptap.core.spi.QuickModeContributor;
import org.heptap.core.spi.QuickOption;
import org.heptap.core.spi.QuickOptions;
import org.heptap.core.spi.QuickRun;
import org.heptap.core.spi.QuickYaml;

/**
 * Quick-flag runs capture RTCP beside SIP (unless {@code -m} leaves out {@code rtcp}): a socket on every unprivileged
 * UDP port whose kernel filter keeps only RTCP-shaped datagrams, running the stock RTCP plan.
 * {@code --rtcp-nat} turns on NAT matching (and notes it for RTP analysis, {@link QuickYaml#NAT_MATCHING}); {@code --rtcpxr} adds a collector for RFC 6035
 * reports that phones PUBLISH.
 */
public final class RtcpQuickMode implements QuickModeContributor {
    static final String PLAN = "quick_rtcp_capture_plan.cfg";
    static final String RTCPXR_PLAN = "quick_rtcpxr_capture_plan.cfg";
    /** RTCP ports come from SDP: the RTCP socket looks at every unprivileged UDP port. */
    static final String PORTS = "1024-65535";

    /** {@code -m}'s word for the RTCP socket: {@code -m sip} leaves it out. */
    static final String MODE = "rtcp";

    boolean nat;

    String rtcpxr;

    @Override
    public List<QuickOption> options() {
        return List.of(
                QuickOptions.flag(
                        "--rtcp-nat",
                        "correlate RTCP behind NAT: match on port when the SDP address is private, "
                                + "then follow the stream by SSRC; RTP analysis too (modules.rtcp.nat-matching, modules.rtp.nat-matching in YAML)",
                        () -> nat = true),
                QuickOptions.value(
                        "--rtcpxr",
                        "udp:HOST:PORT",
                        "also run an RTCP-XR collector: phones PUBLISH RFC 6035 quality reports to HOST:PORT (tcp:HOST:PORT "
                                + "too; comma-separated for both); each PUBLISH goes to -H as SIP and as report JSON (HEP type 99) and is "
                                + "answered 200 OK. Alone (without -i) it runs only the collector; with -r it is not used (live only)",
                        v -> rtcpxr = v));
    }

    /** After the SIP socket, whose SDP its correlation follows. */
    @Override
    public int rank() {
        return 20;
    }

    @Override
    public boolean asksForQuickRun() {
        return nat || rtcpxr != null;
    }

    @Override
    public boolean runsAlone() {
        return rtcpxr != null;
    }

    @Override
    public List<String> modeWords() {
        return List.of(MODE);
    }

    @Override
    public List<String> plans() {
        return List.of(PLAN, RTCPXR_PLAN);
    }

    @Override
    public Map<String, String> flagsOfKeys() {
        return Map.of(
                "sockets.rtcp.device",
                "-i",
                "sockets.rtcp.buffer-size",
                "-b",
                "sockets.rtcp.discard-ips",
                "--discard-ips",
                "sockets.rtcpxr.listen",
                "--rtcpxr");
    }

    @Override
    public void contribute(QuickRun run, QuickYaml yaml) {
        if (rtcpxr != null) {
            StringBuilder y = yaml.collectorSockets();
            y.append("  rtcpxr:\n    type: collector\n    listen:\n");
            for (String l : rtcpxr.split(","))
                y.append("      - ").append(quote(l.trim())).append('\n');
            y.append("    capture-plan: ").append(RTCPXR_PLAN).append('\n');
        }
        if (run.captureSockets() && run.includes(MODE)) {
            StringBuilder y = yaml.captureSockets();
            y.append("  rtcp:\n");
            scalar(y, "    device", run.deviceOrAny());
            scalar(y, "    port-range", PORTS);
            y.append("    transport: udp\n");
            scalar(y, "    buffer-size", run.kernelBuffer());
            y.append("    ").append(RtcpModule.RTCP_FILTER_KEY).append(": true\n");
            scalar(y, "    discard-ips", run.discardIps());
            y.append("    capture-plan: ").append(PLAN).append('\n');
        }
        if (nat) {
            yaml.modules().append("  rtcp:\n    nat-matching: true\n");
            // RTP analysis follows media behind NAT the same way (its contributor ranks after this one)
            yaml.note(QuickYaml.NAT_MATCHING);
        }
    }
}
