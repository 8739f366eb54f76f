package org.heptap.sip;

import static org.heptap.core.spi.QuickYaml.scalar;

import java.util.List;
import java.util.Map;
import org.heptap.core.spi.QuickModeContributor;
import org.heptap.core.spi.QuickRun;
import org.heptap.core.spi.QuickYaml;

/**
 * Quick-flag runs capture SIP: a socket on {@code -p} (SIP's ports by default) over UDP and TCP,
 * running captagent's stock SIP plan. It adds no option of its own.
 */
public final class SipQuickMode implements QuickModeContributor {
    static final String PLAN = "quick_sip_capture_plan.cfg";

    /** {@code -m sip}: the SIP socket, which every quick run has (the other sockets follow its calls). */
    @Override
    public java.util.List<String> modeWords() {
        return java.util.List.of("sip");
    }

    /** The SIP socket comes first: the other sockets follow the calls it sees. */
    @Override
    public int rank() {
        return 10;
    }

    @Override
    public boolean asksForQuickRun() {
        return false;
    }

    @Override
    public List<String> plans() {
        return List.of(PLAN);
    }

    @Override
    public Map<String, String> flagsOfKeys() {
        return Map.of(
                "sockets.sip.device",
                "-i",
                "sockets.sip.port-range",
                "-p",
                "sockets.sip.buffer-size",
                "-b",
                "sockets.sip.discard-ips",
                "--discard-ips",
                "sockets.sip.discard-methods",
                "--discard-methods");
    }

    @Override
    public void contribute(QuickRun run, QuickYaml yaml) {
        if (!run.captureSockets()) return;
        StringBuilder y = yaml.captureSockets();
        y.append("  sip:\n");
        scalar(y, "    device", run.deviceOrAny());
        scalar(y, "    port-range", run.ports() != null ? run.ports() : SipModule.PORTS);
        y.append("    transport: all\n");
        scalar(y, "    buffer-size", run.kernelBuffer());
        if (run.defrag() != null) y.append("    defrag: ").append(run.defrag()).append('\n');
        if (run.tcpReassembly() != null)
            y.append("    tcp-reassembly: ").append(run.tcpReassembly()).append('\n');
        if (run.decapsulation() != null)
            y.append("    decapsulation: ").append(run.decapsulation()).append('\n');
        if (run.dedup() != null) y.append("    dedup: ").append(run.dedup()).append('\n');
        scalar(y, "    discard-ips", run.discardIps());
        scalar(y, "    discard-methods", run.discardLists().get("methods"));
        y.append("    capture-plan: ").append(PLAN).append('\n');
    }
}
