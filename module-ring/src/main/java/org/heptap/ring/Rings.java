package org.heptap.ring;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's running rings, by settings. A reload builds a new configuration, modules and all,
 * while the old one still runs; a ring must outlive that, or every reload would empty it (and a
 * new ring would take the old one's spill directory from under it). So a configuration asks here
 * for a ring: the same settings get the running ring, kept until the last configuration using it
 * closes; other settings get a new ring. This is the one piece of module state that lives beyond a
 * configuration, on purpose.
 */
final class Rings {
    private static final Map<RingSettings, Held> RUNNING = new HashMap<>();

    private static final class Held {
        final Ring ring;
        int users = 1;

        Held(Ring ring) {
            this.ring = ring;
        }
    }

    private Rings() {}

    /** The running ring of these settings, or a new one. */
    static synchronized Ring acquire(RingSettings s, boolean offline) throws IOException {
        Held h = RUNNING.get(s);
        if (h != null) {
            h.users++;
            return h.ring;
        }
        if (s.directory() != null) {
            for (RingSettings other : RUNNING.keySet()) {
                if (s.directory().equals(other.directory()))
                    throw new IOException("the running ring spills there; change the ring's other settings with its"
                            + " directory, or restart");
            }
        }
        Ring r = new Ring(s, offline);
        RUNNING.put(s, new Held(r));
        return r;
    }

    /** A configuration is done with its ring: closed when no other uses it. */
    static synchronized void release(Ring r) {
        for (var e : RUNNING.entrySet()) {
            Held h = e.getValue();
            if (h.ring == r) {
                if (--h.users == 0) {
                    RUNNING.remove(e.getKey());
                    r.close();
                }
                return;
            }
        }
    }
}
