package org.heptap.rtp;

import java.util.Arrays;
import org.heptap.core.spi.AgentContext;

/**
 * The configuration's way from SIP to RTP analysis (found through
 * {@link org.heptap.core.spi.ModuleHooks}, so it lives and dies with the configuration): each
 * socket that analyses RTP registers a queue, and every SDP or BYE the SIP plans parse is offered
 * to each. In live capture SIP and RTP are read on different threads; in a replay one thread
 * feeds all sockets in capture order, so an SDP is queued before the media it announces arrives.
 */
final class SdpHandoff {
    private static final AnnouncementQueue[] NONE = new AnnouncementQueue[0];
    private volatile AnnouncementQueue[] queues = NONE;

    static SdpHandoff of(AgentContext agent) {
        return agent.hooks().get(SdpHandoff.class, SdpHandoff::new);
    }

    synchronized void register(AnnouncementQueue q) {
        AnnouncementQueue[] next = Arrays.copyOf(queues, queues.length + 1);
        next[next.length - 1] = q;
        queues = next;
    }

    /** True when some socket analyses RTP: otherwise the SIP side does no work for it. */
    boolean wanted() {
        return queues.length != 0;
    }

    void publish(Announcement a) {
        for (AnnouncementQueue q : queues) q.offer(a);
    }

    long dropped() {
        long n = 0;
        for (AnnouncementQueue q : queues) n += q.dropped();
        return n;
    }
}
