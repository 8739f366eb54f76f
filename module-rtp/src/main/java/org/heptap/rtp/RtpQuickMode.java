package org.heptap.rtp;

import static org.heptap.core.spi.QuickYaml.scalar;

import java.util.List;
import java.util.Map;
import org.heptap.core.spi.QuickModeContributor;
import org.heptap.core.spi.QuickRun;
import org.heptap.core.spi.QuickYaml;

/**
 * Quick-flag runs analyse RTP beside SIP and RTCP (unless {@code -m} leaves out {@code rtp}, as
 * {@code -m sip} and {@code -m sip+rtcp} do): a socket on every unprivileged UDP port whose
 * kernel filter keeps only RTP-shaped datagrams (IPv4 and IPv6, not RTCP), running the stock
 * RTP plan, which sends each stream's quality reports to the {@code -H} collector. With
 * {@code --rtcp-nat} (module rtcp's flag, noted as {@link QuickYaml#NAT_MATCHING}) streams behind
 * NAT are matched by port, then SSRC ({@code modules.rtp.nat-matching}).
 */
public final class RtpQuickMode implements QuickModeContributor {
    static final String PLAN = "quick_rtp_capture_plan.cfg";
    /** Media ports come from SDP: the RTP socket looks at every unprivileged UDP port. */
    static final String PORTS = "1024-65535";

    static final String MODE = "rtp";

    /** After the SIP and RTCP sockets, before the transports. */
    @Override
    public int rank() {
        return 25;
    }

    @Override
    public boolean asksForQuickRun() {
        return false;
    }

    @Override
    public List<String> modeWords() {
        return List.of(MODE);
    }

    @Override
    public List<String> plans() {
        return List.of(PLAN);
    }

    @Override
    public Map<String, String> flagsOfKeys() {
        return Map.of(
                "sockets.rtp.device",
                "-i",
                "sockets.rtp.buffer-size",
                "-b",
                "sockets.rtp.discard-ips",
                "--discard-ips");
    }

    @Override
    public void contribute(QuickRun run, QuickYaml yaml) {
        if (!run.captureSockets() || !run.includes(MODE)) return;
        StringBuilder y = yaml.captureSockets();
        y.append("  rtp:\n");
        scalar(y, "    device", run.deviceOrAny());
        scalar(y, "    port-range", PORTS);
        y.append("    transport: udp\n");
        scalar(y, "    buffer-size", run.kernelBuffer());
        y.append("    ").append(RtpModule.RTP_FILTER_KEY).append(": true\n");
        scalar(y, "    discard-ips", run.discardIps());
        y.append("    capture-plan: ").append(PLAN).append('\n');
        // --rtcp-nat: streams behind NAT are learnt by port, then SSRC, as RTCP's are
        if (yaml.noted(QuickYaml.NAT_MATCHING)) yaml.modules().append("  rtp:\n    nat-matching: true\n");
    }
}
