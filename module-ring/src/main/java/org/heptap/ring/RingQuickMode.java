package org.heptap.ring;

import static org.heptap.core.spi.QuickYaml.quote;

import java.util.List;
import java.util.Map;
import org.heptap.core.spi.QuickModeContributor;
import org.heptap.core.spi.QuickOption;
import org.heptap.core.spi.QuickOptions;
import org.heptap.core.spi.QuickRun;
import org.heptap.core.spi.QuickYaml;

/** {@code --ring SIZE}: keep the capture sockets' recent calls in a ring of that size (modules.ring.size). */
public final class RingQuickMode implements QuickModeContributor {
    String size;

    @Override
    public List<QuickOption> options() {
        return List.of(QuickOptions.value(
                "--ring",
                "SIZE",
                "keep recent calls (SIP, and the RTCP/RTP of their SDP) in a ring of SIZE (e.g. 256MB: "
                        + "8MB in memory, the rest in a temporary directory) for heptapctl calls and heptapctl pcap "
                        + "(modules.ring in YAML)",
                v -> size = v));
    }

    @Override
    public int rank() {
        return 90;
    }

    @Override
    public boolean asksForQuickRun() {
        return size != null;
    }

    @Override
    public Map<String, String> flagsOfKeys() {
        return Map.of("modules.ring.size", "--ring", "modules.ring.memory", "--ring");
    }

    @Override
    public void contribute(QuickRun run, QuickYaml yaml) {
        if (size != null)
            yaml.modules().append("  ring:\n    size: ").append(quote(size)).append('\n');
    }
}
