package org.heptap.sip;

import java.util.Arrays;
import org.heptap.core.message.Message;

/**
 * Lets a module that builds on SIP (module rtcp: a BYE ends a call's RTCP correlation) see every
 * message a plan's parse function parsed, without the plan calling it: captagent's stock plans
 * only parse a BYE, and must keep working unchanged. Listeners run on the plan's thread, after
 * a successful parse, and must be quick and never throw. A module adds its listener when
 * configured and removes it when closed (reload makes new module instances).
 */
public final class SipParseListeners {
    /** What a listener is told. */
    @FunctionalInterface
    public interface Listener {
        void parsed(Message message, SipMessage sip);
    }

    private static final Listener[] NONE = new Listener[0];
    /** Copy on write: the parse path reads one volatile array and allocates nothing. */
    private static volatile Listener[] listeners = NONE;

    private SipParseListeners() {}

    public static synchronized void add(Listener l) {
        Listener[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[next.length - 1] = l;
        listeners = next;
    }

    public static synchronized void remove(Listener l) {
        listeners = Arrays.stream(listeners).filter(x -> x != l).toArray(Listener[]::new);
    }

    static void fire(Message m, SipMessage s) {
        for (Listener l : listeners) l.parsed(m, s);
    }
}
