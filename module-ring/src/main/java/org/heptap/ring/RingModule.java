package org.heptap.ring;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.heptap.core.config.ConfigNode;
import org.heptap.core.spi.ActiveCalls;
import org.heptap.core.spi.AgentContext;
import org.heptap.core.spi.CallRecords;
import org.heptap.core.spi.ControlCommand;
import org.heptap.core.spi.FrameRecorder;
import org.heptap.core.spi.HeptapModule;

/**
 * The call ring: recent traffic of the capture sockets, kept by call (SIP by Call-ID, RTP and
 * RTCP by the addresses the call's SDP announced), bounded in memory and on disk, and handed over
 * as a pcap file on demand ({@code heptapctl pcap}, {@code heptapctl calls}).
 *
 * <pre>
 * modules:
 *   ring:
 *     size: 256MB        # kept in all, memory and disk; 0 (default): no ring
 *     memory: 8MB        # of which in the heap; the rest spills to directory
 *     directory: /var/lib/heptap/ring
 *     max-age: 1h        # 0 (default): only size bounds it
 *     calls: 10000       # calls remembered for finding them again
 *     sockets: [sip, rtcp]   # default: every capture socket
 * </pre>
 */
public final class RingModule implements HeptapModule {
    private volatile Ring ring;
    private volatile ActiveCalls activeCalls;

    @Override
    public String name() {
        return "ring";
    }

    @Override
    public void configure(ConfigNode section, AgentContext agent) {
        // this module answers "calls" and shows the measured active calls there
        activeCalls = ActiveCalls.of(agent);
        activeCalls.claimCommand();
        RingSettings s = RingSettings.read(section, Runtime.getRuntime().maxMemory());
        if (!s.on() || section.problems().hasErrors()) return;
        try {
            ring = Rings.acquire(s, agent.offline());
            CallRecords.of(agent).offer(new RingCallSource(() -> ring));
        } catch (IOException e) {
            (section.has("directory") ? section.child("directory") : section)
                    .error("cannot keep the ring's spill files in "
                            + (s.directory() != null ? s.directory() : "a temporary directory") + ": " + e);
        }
    }

    @Override
    public List<FrameRecorder> frameRecorders() {
        Ring r = ring;
        return r == null ? List.of() : List.of(r.recorder);
    }

    @Override
    public List<ControlCommand> controlCommands() {
        return List.of(new CallsCommand(() -> ring, () -> activeCalls), new PcapCommand(() -> ring));
    }

    @Override
    public Map<String, Long> counters() {
        Ring r = ring;
        return r == null ? Map.of() : r.counters();
    }

    @Override
    public void close() {
        Ring r = ring;
        ring = null;
        if (r != null) Rings.release(r);
    }
}
